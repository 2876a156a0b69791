package io.imgpress.storage.cloudinary;

import com.cloudinary.Cloudinary;
import com.cloudinary.Configuration;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import java.net.URI;
import java.time.Clock;
import java.util.UUID;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@code imgpress.storage=cloudinary}: images as assets of a Cloudinary product environment, the
 * account from {@code CLOUDINARY_URL} ({@code imgpress.storage.cloudinary.*} for the rest).
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "imgpress.storage", havingValue = "cloudinary")
class CloudinaryStorageConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CloudinaryStorageConfiguration.class);

  /** The width of the column that records an output's URL ({@code images.output_url}). */
  static final int MAX_OUTPUT_URL_LENGTH = 512;

  static final String ENVIRONMENT_VARIABLE = "CLOUDINARY_URL";

  /** {@code v9999999999} against {@code v1}. */
  static final int VERSION_LENGTH_BEYOND_V1 = 9;

  /** Closed by the context at shutdown (it is AutoCloseable), which closes its pool. */
  @Bean
  ImageStore imageStore(CloudinaryStorageProperties properties, Environment environment) {
    String url =
        properties.url() != null ? properties.url() : environment.getProperty(ENVIRONMENT_VARIABLE);
    CloudinaryImageStore store = store(url, properties);
    log.info("Image store: {}, output URLs like {}", store, exampleUrl(store));
    return store;
  }

  /** The store for the account of {@code url}, a {@code cloudinary://} URL. */
  static CloudinaryImageStore store(String url, CloudinaryStorageProperties properties) {
    PoolingHttpClientConnectionManager pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(properties.maxConnections())
            .setMaxConnPerRoute(properties.maxConnections())
            .build();
    Configuration configuration = configuration(url, properties);
    configuration.properties.put("connectionManager", pool);
    CloudinaryImageStore store =
        new CloudinaryImageStore(
            new Cloudinary(configuration),
            properties.folder(),
            properties.timeout(),
            properties.healthCheckInterval(),
            Clock.systemUTC(),
            pool);
    int longest =
        store
                .publicUrl(StorageKey.forPreview(new UUID(0, 0), Long.MAX_VALUE))
                .orElseThrow()
                .length()
            // What is recorded is the upload's secure_url, whose version (v + 10 digits of a Unix
            // time) is longer than the v1 of the URL built here.
            + VERSION_LENGTH_BEYOND_V1;
    if (longest > MAX_OUTPUT_URL_LENGTH) {
      pool.close();
      throw new IllegalStateException(
          "imgpress.storage.cloudinary.folder and the delivery settings of CLOUDINARY_URL make"
              + " output URLs of up to "
              + longest
              + " characters: they must fit the "
              + MAX_OUTPUT_URL_LENGTH
              + " recorded for each image");
    }
    return store;
  }

  /**
   * The SDK's configuration from a {@code cloudinary://<api_key>:<api_secret>@<cloud_name>} URL,
   * its query parameters included ({@code upload_prefix}, {@code secure_distribution}, {@code
   * cname}, {@code private_cdn}, {@code secure}, {@code signature_algorithm}...), as the SDK itself
   * reads {@code CLOUDINARY_URL}. Messages name what is wrong without repeating the URL, which
   * holds the secret.
   */
  static Configuration configuration(String url, CloudinaryStorageProperties properties) {
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(
          "imgpress.storage=cloudinary needs the environment variable CLOUDINARY_URL"
              + " (cloudinary://<api_key>:<api_secret>@<cloud_name>, as the Cloudinary console"
              + " shows it)");
    }
    Configuration configuration;
    try {
      configuration = Configuration.from(url.trim());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "CLOUDINARY_URL must look like cloudinary://<api_key>:<api_secret>@<cloud_name>: "
              + (e instanceof IllegalArgumentException && e.getMessage().contains("scheme")
                  ? "it does not start with cloudinary://"
                  : "it is not a URL, or a query parameter has no value"));
    }
    if (configuration.cloudName == null || configuration.cloudName.isBlank()) {
      throw new IllegalStateException(
          "CLOUDINARY_URL names no cloud (cloudinary://<api_key>:<api_secret>@<cloud_name>); a"
              + " cloud name of letters, digits and '-'");
    }
    if (configuration.apiKey == null
        || configuration.apiKey.isBlank()
        || configuration.apiSecret == null
        || configuration.apiSecret.isBlank()) {
      throw new IllegalStateException(
          "CLOUDINARY_URL must hold an API key and secret"
              + " (cloudinary://<api_key>:<api_secret>@<cloud_name>)");
    }
    if (configuration.uploadPrefix != null && !isHttpUrl(configuration.uploadPrefix)) {
      throw new IllegalStateException(
          "the upload_prefix of CLOUDINARY_URL must be an http(s) URL with a host, like"
              + " https://api-eu.cloudinary.com");
    }
    // No SDK-analytics query (?_a=...) on delivery URLs: the recorded URLs must depend on the key
    // and the account only, not on the SDK's version.
    configuration.analytics = false;
    configuration.timeout = (int) Math.max(1, properties.timeout().toSeconds());
    return configuration;
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      return uri.isAbsolute()
          && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static String exampleUrl(CloudinaryImageStore store) {
    return store.publicUrl(new StorageKey(new UUID(0, 0), "1.jpg")).orElseThrow();
  }
}
