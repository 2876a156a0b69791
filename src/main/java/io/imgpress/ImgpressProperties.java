package io.imgpress;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every feature: where things live and which backends and role this process has.
 * The backends are chosen here and each adapter reads its own settings.
 *
 * @param dataDir where the embedded database, the stored images and the generated webhook secret
 *     live
 * @param publicBaseUrl base of the absolute URLs handed to clients (output images, status, CSV);
 *     empty means {@code http://localhost:{server port}}
 * @param store where requests, products and images are recorded
 * @param queue where jobs wait for a worker
 * @param storage where compressed images are kept
 * @param role what this process does: everything, the HTTP API only, or the work only; a split into
 *     {@code api} and {@code worker} processes needs a shared store (not {@code h2})
 */
@Validated
@ConfigurationProperties("imgpress")
public record ImgpressProperties(
    @NotNull @DefaultValue("./data") Path dataDir,
    String publicBaseUrl,
    @NotNull @DefaultValue("h2") Store store,
    @NotNull @DefaultValue("database") Queue queue,
    @NotNull @DefaultValue("local") Storage storage,
    @NotNull @DefaultValue("all") Role role) {

  @ConstructorBinding
  public ImgpressProperties {
    if (role != Role.ALL && store == Store.H2) {
      throw new IllegalArgumentException(
          ("imgpress.role=%s needs a store that several processes share, and the embedded H2"
                  + " file under the data dir belongs to one process: set imgpress.store=postgres"
                  + " (with spring.datasource.*) on every API and worker process, or run one"
                  + " process with imgpress.role=all")
              .formatted(role.name().toLowerCase(java.util.Locale.ROOT)));
    }
  }

  /** The embedded default's backends, in one process of role {@code all}. */
  public ImgpressProperties(Path dataDir, String publicBaseUrl) {
    this(dataDir, publicBaseUrl, Store.H2, Queue.DATABASE, Storage.LOCAL, Role.ALL);
  }

  /** {@code imgpress.store}. */
  public enum Store {
    /** The embedded file database under the data dir: one process only. */
    H2,
    /** A PostgreSQL server from {@code spring.datasource.*}: any number of processes. */
    POSTGRES,
    /** A MongoDB server from Spring Boot's MongoDB URI: any number of processes. */
    MONGODB
  }

  /** {@code imgpress.queue}. */
  public enum Queue {
    /** A table of the store's own database. */
    DATABASE,
    /** Redis Streams from {@code spring.data.redis.url}, fed from the store's outbox. */
    REDIS
  }

  /** {@code imgpress.storage}. */
  public enum Storage {
    /** Files under the data dir. */
    LOCAL,
    /** An S3-compatible bucket ({@code imgpress.storage.s3.*}). */
    S3,
    /** A Cloudinary product environment from {@code CLOUDINARY_URL}. */
    CLOUDINARY
  }

  /** {@code imgpress.role}. */
  public enum Role {
    /** API and worker in one process: the embedded default. */
    ALL,
    /** Accepts uploads and serves status, CSV, events, images and the page; processes nothing. */
    API,
    /** Processes images and uploads and delivers webhooks; serves only the management endpoints. */
    WORKER;

    public boolean serves() {
      return this != WORKER;
    }

    public boolean works() {
      return this != API;
    }
  }
}
