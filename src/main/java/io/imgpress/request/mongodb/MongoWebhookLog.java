package io.imgpress.request.mongodb;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.Updates;
import io.imgpress.db.ErrorText;
import io.imgpress.request.WebhookLog;
import io.imgpress.request.WebhookStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.conversions.Bson;

/**
 * {@link WebhookLog} on the request document. The contract's rules are the update's filter, and
 * {@code $max} keeps the larger attempt count, so one conditional single-document update applies
 * them however runs of the same job interleave.
 */
final class MongoWebhookLog implements WebhookLog {

  private final MongoStore store;

  MongoWebhookLog(MongoStore store) {
    this.store = store;
  }

  @Override
  public boolean record(UUID requestId, WebhookStatus status, int attempts, String error) {
    List<Bson> filter = new ArrayList<>();
    filter.add(eq("_id", requestId.toString()));
    filter.add(eq("webhook.status", WebhookStatus.PENDING.name()));
    if (status == WebhookStatus.PENDING) {
      filter.add(lte("webhook.attempts", attempts));
    }
    return store
            .requests
            .updateOne(
                and(filter),
                Updates.combine(
                    Updates.set("webhook.status", status.name()),
                    Updates.max("webhook.attempts", attempts),
                    Updates.set("webhook.error", ErrorText.fit(error))))
            .getMatchedCount()
        > 0;
  }
}
