package io.imgpress.request.jdbc;

import io.imgpress.request.RequestRepository;
import io.imgpress.request.WebhookLog;
import io.imgpress.request.WebhookLogContract;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

class JdbcWebhookLogTest extends WebhookLogContract {

  MutableClock clock = new MutableClock();
  JdbcRequestRepository requests;
  JdbcWebhookLog webhookLog;

  @BeforeEach
  void create() {
    DataSource ds = TestDatabase.h2();
    requests = new JdbcRequestRepository(TestDatabase.client(ds), TestDatabase.template(ds), clock);
    webhookLog = new JdbcWebhookLog(TestDatabase.client(ds), clock);
  }

  @Override
  protected WebhookLog webhookLog() {
    return webhookLog;
  }

  @Override
  protected RequestRepository requests() {
    return requests;
  }
}
