package io.imgpress.storage.s3;

import io.imgpress.storage.ImageStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * {@code imgpress.storage=s3}: images in an S3-compatible bucket ({@code imgpress.storage.s3.*}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "imgpress.storage", havingValue = "s3")
class S3StorageConfiguration {

  private static final Logger log = LoggerFactory.getLogger(S3StorageConfiguration.class);

  /** Closed by the context at shutdown (it is AutoCloseable), which closes its pool. */
  @Bean
  S3Client imageBucketClient(S3StorageProperties properties) {
    return client(properties, DefaultCredentialsProvider.builder().build());
  }

  @Bean
  ImageStore imageStore(S3StorageProperties properties, S3Client imageBucketClient) {
    S3ImageStore store =
        new S3ImageStore(
            imageBucketClient,
            requireBucket(properties),
            properties.keyPrefix(),
            properties.publicBaseUrl());
    log.info("Image store: S3 {}", store);
    return store;
  }

  static String requireBucket(S3StorageProperties properties) {
    if (properties.bucket() == null) {
      throw new IllegalStateException(
          "imgpress.storage=s3 needs imgpress.storage.s3.bucket (IMGPRESS_STORAGE_S3_BUCKET): the"
              + " name of an existing bucket");
    }
    return properties.bucket();
  }

  /**
   * The SDK client for {@code properties}. Synchronous, over Apache HttpClient 5; the SDK retries
   * throttling, 5xx and broken connections itself (its standard mode: 3 tries with backoff).
   */
  static S3Client client(
      S3StorageProperties properties,
      software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(properties.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(properties.pathStyle())
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .maxConnections(properties.maxConnections())
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(30))
                    // Outputs are small: waiting for 100 Continue would cost each PUT a round
                    // trip to save sending a few hundred KB only when the PUT is refused.
                    .expectContinueEnabled(false))
            .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(60)));
    if (properties.endpoint() != null) {
      builder.endpointOverride(properties.endpoint());
      // The SDK adds CRC checksums to every request by default, which several S3-compatible
      // services (older MinIO and Ceph among them) refuse; send and check them only where the
      // API requires them.
      builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
      builder.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return builder.build();
  }
}
