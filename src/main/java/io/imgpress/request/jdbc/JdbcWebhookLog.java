package io.imgpress.request.jdbc;

import io.imgpress.db.ErrorText;
import io.imgpress.request.WebhookLog;
import io.imgpress.request.WebhookStatus;
import java.time.Clock;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@link WebhookLog} on the requests table. */
@Repository
class JdbcWebhookLog implements WebhookLog {

  private final JdbcClient jdbc;
  private final Clock clock;

  JdbcWebhookLog(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public void record(UUID requestId, WebhookStatus status, int attempts, String error) {
    jdbc.sql(
            """
            update requests set webhook_status = ?, webhook_attempts = ?, webhook_error = ?
            where request_id = ? and webhook_url is not null""")
        .params(status.name(), attempts, ErrorText.fit(error), requestId.toString())
        .update();
  }
}
