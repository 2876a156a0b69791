package io.imgpress.request.jdbc;

import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.WebhookLog;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The JDBC request adapters for tests in other packages, which cannot see their constructors. */
public final class JdbcStores {

  private JdbcStores() {}

  public static RequestRepository requests(DataSource ds, Clock clock) {
    return new JdbcRequestRepository(JdbcClient.create(ds), new JdbcTemplate(ds), clock);
  }

  public static ImageTransitions transitions(DataSource ds, Clock clock) {
    return new JdbcImageTransitions(JdbcClient.create(ds), new JdbcTemplate(ds), clock);
  }

  public static WebhookLog webhookLog(DataSource ds, Clock clock) {
    return new JdbcWebhookLog(JdbcClient.create(ds), clock);
  }
}
