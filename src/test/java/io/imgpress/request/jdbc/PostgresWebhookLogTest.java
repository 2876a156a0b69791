package io.imgpress.request.jdbc;

import io.imgpress.request.RequestRepository;
import io.imgpress.request.WebhookLog;
import io.imgpress.request.WebhookLogContract;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/** The webhook log contract on PostgreSQL. */
class PostgresWebhookLogTest extends WebhookLogContract {

  MutableClock clock = new MutableClock();
  RequestRepository requests;
  WebhookLog webhookLog;

  @BeforeEach
  void create() {
    DataSource ds = TestDatabase.postgres();
    requests = JdbcStores.requests(ds, clock);
    webhookLog = JdbcStores.webhookLog(ds, clock);
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
