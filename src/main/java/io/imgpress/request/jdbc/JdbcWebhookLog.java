package io.imgpress.request.jdbc;

import io.imgpress.db.ConditionalOnSqlStore;
import io.imgpress.db.ErrorText;
import io.imgpress.request.WebhookLog;
import io.imgpress.request.WebhookStatus;
import java.time.Clock;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@link WebhookLog} on the requests table. The contract's rules are the update's condition, so
 * they hold however runs of the same job interleave: the row lock serialises them.
 */
@Repository
@ConditionalOnSqlStore
class JdbcWebhookLog implements WebhookLog {

  private final JdbcClient jdbc;
  private final Clock clock;

  JdbcWebhookLog(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public boolean record(UUID requestId, WebhookStatus status, int attempts, String error) {
    boolean settles = status != WebhookStatus.PENDING;
    return jdbc.sql(
                """
                update requests
                set webhook_status = ?, webhook_attempts = greatest(webhook_attempts, ?),
                    webhook_error = ?
                where request_id = ? and webhook_status = ?
                  and (? or webhook_attempts <= ?)""")
            .params(
                status.name(),
                attempts,
                ErrorText.fit(error),
                requestId.toString(),
                WebhookStatus.PENDING.name(),
                settles,
                attempts)
            .update()
        > 0;
  }
}
