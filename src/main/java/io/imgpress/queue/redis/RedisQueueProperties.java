package io.imgpress.queue.redis;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Redis queue of {@code imgpress.queue=redis}. The connection is Spring Boot's own ({@code
 * spring.data.redis.url}, whose password the URL carries), so no secret is set here.
 *
 * @param keyPrefix starts every key the queue writes, so that several deployments (or other data)
 *     can share a Redis database; the queue's keys also carry the hash tag {@code {queue}}, so on a
 *     cluster they all live in one slot
 * @param maxDeliveries hand-outs of a job without completion after which it goes to the dead
 *     letters ({@code {keyPrefix}{queue}:dead-letters}) instead of to a worker, and stays there
 *     even when the reconciler sends it again. The default, 64, is above every limit of the
 *     handlers' own (at most 50 webhook attempts, 22 deliveries of an image), which give up with a
 *     recorded failure first: a dead letter is a job whose workers died on it every time
 * @param consumer this process's consumer name in the streams' group; unique per process. Empty:
 *     host name, process id and a random suffix
 */
@Validated
@ConfigurationProperties("imgpress.queue.redis")
public record RedisQueueProperties(
    @NotBlank
        @Size(max = 64)
        @Pattern(
            regexp = "[A-Za-z0-9:_.-]+",
            message = "must be letters, digits, ':', '_', '.' or '-', like imgpress:")
        @DefaultValue("imgpress:")
        String keyPrefix,
    @Min(1) @Max(1000) @DefaultValue("64") int maxDeliveries,
    @Size(max = 128)
        @Pattern(
            regexp = "[A-Za-z0-9:_.@-]*",
            message = "must be letters, digits, ':', '_', '.', '@' or '-'")
        String consumer) {

  public RedisQueueProperties {
    if (consumer == null || consumer.isBlank()) {
      consumer = defaultConsumer();
    }
  }

  /** Unique per process: a restarted process on the same host with the same pid still differs. */
  static String defaultConsumer() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "host";
    }
    host = host.replaceAll("[^A-Za-z0-9_.-]", "-");
    if (host.length() > 64) {
      host = host.substring(0, 64);
    }
    return "%s@%d-%s"
        .formatted(
            host,
            ProcessHandle.current().pid(),
            UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT));
  }
}
