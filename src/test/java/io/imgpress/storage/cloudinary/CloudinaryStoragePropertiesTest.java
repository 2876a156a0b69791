package io.imgpress.storage.cloudinary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudinary.Configuration;
import com.cloudinary.SignatureAlgorithm;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class CloudinaryStoragePropertiesTest {

  private static final Validator validator =
      Validation.buildDefaultValidatorFactory().getValidator();

  private static final CloudinaryStorageProperties DEFAULTS =
      new CloudinaryStorageProperties(
          null, "imgpress", Duration.ofSeconds(60), 32, Duration.ofSeconds(60));

  private static CloudinaryStorageProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("imgpress.storage.cloudinary", CloudinaryStorageProperties.class);
  }

  private static Set<String> violations(Map<String, String> properties) {
    return validator.validate(bind(properties)).stream()
        .map(ConstraintViolation::getMessage)
        .collect(Collectors.toSet());
  }

  @Test
  void unsetPropertiesFallBackToTheDefaults() {
    assertThat(bind(Map.of())).isEqualTo(DEFAULTS);
    assertThat(violations(Map.of())).isEmpty();
  }

  @Test
  void theFolderIsFoldersSeparatedBySlashesOrEmpty() {
    assertThat(violations(Map.of("imgpress.storage.cloudinary.folder", "shop/outputs-2")))
        .isEmpty();
    assertThat(violations(Map.of("imgpress.storage.cloudinary.folder", ""))).isEmpty();
    for (String wrong : new String[] {"/abs", "trailing/", "a//b", "dots.no", "a/../b"}) {
      assertThat(violations(Map.of("imgpress.storage.cloudinary.folder", wrong)))
          .as(wrong)
          .hasSize(1);
    }
    assertThat(violations(Map.of("imgpress.storage.cloudinary.timeout", "0s"))).hasSize(1);
    assertThat(violations(Map.of("imgpress.storage.cloudinary.health-check-interval", "-1s")))
        .hasSize(1);
  }

  @Test
  void theUrlNeverAppearsInTheSettingsText() {
    CloudinaryStorageProperties bound =
        bind(Map.of("imgpress.storage.cloudinary.url", "cloudinary://k:topsecret@cloud"));
    assertThat(bound.url()).isEqualTo("cloudinary://k:topsecret@cloud");
    assertThat(bound.toString()).doesNotContain("topsecret").contains("url=(set)");
  }

  @Test
  void cloudinaryUrlIsReadAsTheSdkReadsItUploadPrefixIncluded() {
    Configuration configuration =
        CloudinaryStorageConfiguration.configuration(
            "cloudinary://614335564976464:s3cr3t@shop-eu?upload_prefix=https://api-eu.cloudinary.com"
                + "&signature_algorithm=SHA256",
            DEFAULTS);

    assertThat(configuration.cloudName).isEqualTo("shop-eu");
    assertThat(configuration.apiKey).isEqualTo("614335564976464");
    assertThat(configuration.apiSecret).isEqualTo("s3cr3t");
    assertThat(configuration.uploadPrefix).isEqualTo("https://api-eu.cloudinary.com");
    assertThat(configuration.signatureAlgorithm).isEqualTo(SignatureAlgorithm.SHA256);
    assertThat(configuration.secure).isTrue();
    assertThat(configuration.analytics).isFalse();
    assertThat(configuration.timeout).isEqualTo(60);
  }

  @Test
  void outputUrlsAreHttpsOnCloudinarysCdnUnderTheFolder() throws Exception {
    try (CloudinaryImageStore store =
        CloudinaryStorageConfiguration.store(
            "cloudinary://614335564976464:s3cr3t@shop?upload_prefix=https://api-eu.cloudinary.com",
            new CloudinaryStorageProperties(
                null, "catalog/outputs", Duration.ofSeconds(5), 4, Duration.ofSeconds(60)))) {
      StorageKey key =
          StorageKey.forImage(UUID.fromString("2f1c6a2e-0000-4000-8000-000000000001"), 42);

      assertThat(store.publicId(key))
          .isEqualTo("catalog/outputs/2f1c6a2e-0000-4000-8000-000000000001/42");
      assertThat(store.publicUrl(key))
          .hasValue(
              "https://res.cloudinary.com/shop/image/upload/v1/catalog/outputs/"
                  + "2f1c6a2e-0000-4000-8000-000000000001/42.jpg");
    }
    try (CloudinaryImageStore privateCdn =
        CloudinaryStorageConfiguration.store(
            "cloudinary://k:s@shop?private_cdn=true&secure_distribution=images.example.com",
            DEFAULTS)) {
      assertThat(privateCdn.publicUrl(StorageKey.forImage(new UUID(0, 0), 1)).orElseThrow())
          .startsWith("https://images.example.com/image/upload/v1/imgpress/");
    }
  }

  @Test
  void aMissingOrWrongUrlFailsWithAReasonThatDoesNotRepeatIt() {
    assertThatThrownBy(() -> CloudinaryStorageConfiguration.configuration(null, DEFAULTS))
        .hasMessageContaining("needs the environment variable CLOUDINARY_URL");
    assertThatThrownBy(
            () -> CloudinaryStorageConfiguration.configuration("https://k:topsecret@x", DEFAULTS))
        .hasMessageContaining("does not start with cloudinary://")
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(
            () -> CloudinaryStorageConfiguration.configuration("cloudinary://k@cloud", DEFAULTS))
        .hasMessageContaining("must hold an API key and secret");
    assertThatThrownBy(
            () ->
                CloudinaryStorageConfiguration.configuration(
                    "cloudinary://k:topsecret@cloud?upload_prefix=api.example.com", DEFAULTS))
        .hasMessageContaining("upload_prefix")
        .hasMessageNotContaining("topsecret");
  }

  @Test
  void cloudinaryStorageIsChosenByImgpressStorageAndNeedsCloudinaryUrl() {
    ApplicationContextRunner runner =
        new ApplicationContextRunner()
            .withUserConfiguration(CloudinaryStorageConfiguration.class, Properties.class);

    runner
        .withPropertyValues("imgpress.storage.cloudinary.url=cloudinary://k:s@cloud")
        .run(context -> assertThat(context).doesNotHaveBean(ImageStore.class));
    runner
        .withPropertyValues(
            "imgpress.storage=cloudinary", "imgpress.storage.cloudinary.url=cloudinary://k:s@cloud")
        .run(
            context -> {
              assertThat(context)
                  .getBean(ImageStore.class)
                  .isInstanceOf(CloudinaryImageStore.class);
              assertThat(context.getBean(ImageStore.class).toString())
                  .isEqualTo("Cloudinary cloud cloud under imgpress/");
            });
    runner
        .withPropertyValues(
            "imgpress.storage=cloudinary", "CLOUDINARY_URL=cloudinary://k:s@fromenv")
        .run(
            context ->
                assertThat(context.getBean(ImageStore.class).toString())
                    .startsWith("Cloudinary cloud fromenv"));
    runner
        .withPropertyValues("imgpress.storage=cloudinary")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("needs the environment variable CLOUDINARY_URL"));
  }

  @EnableConfigurationProperties(CloudinaryStorageProperties.class)
  static class Properties {}
}
