package io.imgpress.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

class S3StoragePropertiesTest {

  private static final Validator validator =
      Validation.buildDefaultValidatorFactory().getValidator();

  private static S3StorageProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("imgpress.storage.s3", S3StorageProperties.class);
  }

  private static Set<String> violations(Map<String, String> properties) {
    return validator.validate(bind(properties)).stream()
        .map(ConstraintViolation::getMessage)
        .collect(Collectors.toSet());
  }

  @Test
  void unsetPropertiesFallBackToTheDefaults() {
    assertThat(bind(Map.of()))
        .isEqualTo(new S3StorageProperties(null, null, "us-east-1", false, null, "", 64));
    assertThat(violations(Map.of())).as("valid while the local store is in use").isEmpty();
  }

  @Test
  void bindsConfiguredValuesAndDropsTheBaseUrlsTrailingSlash() {
    S3StorageProperties bound =
        bind(
            Map.of(
                "imgpress.storage.s3.bucket", "images",
                "imgpress.storage.s3.endpoint", "http://minio:9000",
                "imgpress.storage.s3.region", "eu-central-1",
                "imgpress.storage.s3.path-style", "true",
                "imgpress.storage.s3.public-base-url", " https://cdn.example.com/ ",
                "imgpress.storage.s3.key-prefix", "imgpress/",
                "imgpress.storage.s3.max-connections", "16"));

    assertThat(bound)
        .isEqualTo(
            new S3StorageProperties(
                "images",
                URI.create("http://minio:9000"),
                "eu-central-1",
                true,
                "https://cdn.example.com",
                "imgpress/",
                16));
    assertThat(validator.validate(bound)).isEmpty();
  }

  @Test
  void aUrlWhereTheBucketNameBelongsIsRefused() {
    assertThat(violations(Map.of("imgpress.storage.s3.bucket", "s3://images")))
        .containsExactly("must be a bucket name (letters, digits, '.', '_', '-'), not a URL");
  }

  @Test
  void endpointAndPublicBaseUrlMustBeHttpUrls() {
    assertThat(
            violations(
                Map.of(
                    "imgpress.storage.s3.endpoint", "minio:9000",
                    "imgpress.storage.s3.public-base-url", "cdn.example.com")))
        .containsExactlyInAnyOrder(
            "endpoint must be an absolute http(s) URL with a host, like http://minio:9000",
            "public-base-url must be an absolute http(s) URL with a host and no query or"
                + " fragment");
    assertThat(
            violations(Map.of("imgpress.storage.s3.public-base-url", "https://cdn.example.com/?a")))
        .hasSize(1);
  }

  @Test
  void aKeyPrefixIsFoldersEachEndingInASlash() {
    assertThat(violations(Map.of("imgpress.storage.s3.key-prefix", "a/b/"))).isEmpty();
    assertThat(violations(Map.of("imgpress.storage.s3.key-prefix", "imgpress")))
        .containsExactly(
            "must be empty or folders of letters, digits, '.', '_', '-', each ending in /"
                + " (no . or .. folders)");
    assertThat(violations(Map.of("imgpress.storage.s3.key-prefix", "/abs/"))).hasSize(1);
    assertThat(violations(Map.of("imgpress.storage.s3.key-prefix", "a/../b/"))).hasSize(1);
    assertThat(violations(Map.of("imgpress.storage.s3.key-prefix", "./"))).hasSize(1);
    assertThat(violations(Map.of("imgpress.storage.s3.key-prefix", ".well.known/v1.2/"))).isEmpty();
  }

  @Test
  void theLongestOutputUrlMustFitItsColumn() {
    String prefix = "p/";
    String base = "https://cdn.example.com/";
    // base, '/', prefix and the longest key (a preview's, 67 characters) fill the 512 exactly
    String longest = base + "x".repeat(512 - base.length() - 1 - prefix.length() - 67);
    Map<String, String> fits = new HashMap<>();
    fits.put("imgpress.storage.s3.public-base-url", longest);
    fits.put("imgpress.storage.s3.key-prefix", prefix);
    assertThat(violations(fits)).isEmpty();

    S3StorageProperties atTheLimit = bind(fits);
    StorageKey longestKey = StorageKey.forPreview(UUID.randomUUID(), Long.MAX_VALUE);
    ImageStore store =
        new S3ImageStore(null, "b", atTheLimit.keyPrefix(), atTheLimit.publicBaseUrl());
    assertThat(store.publicUrl(longestKey).orElseThrow())
        .hasSize(S3StorageProperties.MAX_OUTPUT_URL_LENGTH)
        .hasSize(atTheLimit.longestPublicUrl());

    fits.put("imgpress.storage.s3.public-base-url", longest + "x");
    assertThat(violations(fits))
        .containsExactly(
            "public-base-url and key-prefix together are too long: the output URLs they make must"
                + " fit the 512 characters recorded for each image");
  }

  @Test
  void everySchemaRecordsOutputUrlsAsLongAsTheLimit() throws Exception {
    Pattern column =
        Pattern.compile("(?:output|preview)_url\\s+varchar\\((\\d+)\\)", Pattern.CASE_INSENSITIVE);
    List<Integer> widths = new ArrayList<>();
    for (Resource migration :
        new PathMatchingResourcePatternResolver().getResources("classpath*:db/**/*.sql")) {
      Matcher declared = column.matcher(migration.getContentAsString(StandardCharsets.UTF_8));
      while (declared.find()) {
        widths.add(Integer.parseInt(declared.group(1)));
      }
    }
    assertThat(widths)
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            w -> assertThat(w).isGreaterThanOrEqualTo(S3StorageProperties.MAX_OUTPUT_URL_LENGTH));
  }

  @Test
  void s3StorageIsChosenByImgpressStorageAndNeedsABucket() {
    ApplicationContextRunner runner =
        new ApplicationContextRunner()
            .withUserConfiguration(S3StorageConfiguration.class, Properties.class);

    runner.run(context -> assertThat(context).doesNotHaveBean(ImageStore.class));
    runner
        .withPropertyValues("imgpress.storage=local", "imgpress.storage.s3.bucket=images")
        .run(context -> assertThat(context).doesNotHaveBean(ImageStore.class));
    runner
        .withPropertyValues("imgpress.storage=s3", "imgpress.storage.s3.bucket=images")
        .run(
            context -> {
              assertThat(context).getBean(ImageStore.class).isInstanceOf(S3ImageStore.class);
              assertThat(context.getBean(ImageStore.class).toString())
                  .isEqualTo("bucket images, served by this service");
            });
    runner
        .withPropertyValues("imgpress.storage=S3")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "imgpress.storage=s3 needs imgpress.storage.s3.bucket"
                            + " (IMGPRESS_STORAGE_S3_BUCKET)"));
    runner
        .withPropertyValues(
            "imgpress.storage=s3",
            "imgpress.storage.s3.bucket=images",
            "imgpress.storage.s3.public-base-url=ftp://cdn")
        .run(context -> assertThat(context).hasFailed());
  }

  @EnableConfigurationProperties(S3StorageProperties.class)
  static class Properties {}
}
