package io.imgpress.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class ApiKeysTest {

  static final String ALICE_KEY = "alice-secret-key";
  static final String BOB_KEY = "bob-secret-key";

  static String hash(String key) {
    return HexFormat.of().formatHex(ApiKeys.sha256(key));
  }

  @Test
  void aKeyResolvesToItsOwnerByItsHash() {
    // The hash of "abc" is the published SHA-256 test vector, as sha256sum prints it.
    assertThat(hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ApiKeys keys =
        ApiKeys.parse(
            List.of("alice:" + hash(ALICE_KEY), " bob : " + hash(BOB_KEY).toUpperCase() + " ", ""));

    assertThat(keys.owners()).containsExactly("alice", "bob");
    assertThat(keys.ownerOf(ALICE_KEY)).contains("alice");
    assertThat(keys.ownerOf(BOB_KEY)).contains("bob");
    assertThat(keys.ownerOf("wrong")).isEmpty();
    assertThat(keys.ownerOf(hash(ALICE_KEY))).as("the hash is not the key").isEmpty();
    assertThat(keys.ownerOf("")).isEmpty();
    assertThat(keys.ownerOf(null)).isEmpty();
  }

  @Test
  void noEntriesIsOpen() {
    assertThat(ApiKeys.parse(List.of()).isEmpty()).isTrue();
    assertThat(ApiKeys.parse(List.of(" ")).isEmpty()).isTrue();
    assertThat(ApiKeys.parse(null).isEmpty()).isTrue();
  }

  @Test
  void badEntriesAreRefusedAtStartNamingTheEntry() {
    String h = hash(ALICE_KEY);
    Map<List<String>, String> bad =
        Map.of(
            List.of("alice" + h), "entry 1 is not owner:sha256hex",
            List.of(":" + h), "entry 1 has the owner name ''",
            List.of("al ice:" + h), "owner name 'al ice'",
            List.of("-alice:" + h), "owner name '-alice'",
            List.of("a".repeat(65) + ":" + h), "owner name",
            List.of("alice:" + h.substring(1)), "64 hex digits, 63 characters given",
            List.of("alice:" + ALICE_KEY), "configure the hash of the key, never the key",
            List.of("alice:" + h, "alice:" + hash(BOB_KEY)), "entry 2 names the owner alice",
            List.of("alice:" + h, "bob:" + h), "entry 2 (owner bob) has the same key hash");
    bad.forEach(
        (entries, message) ->
            assertThatIllegalArgumentException()
                .as(entries.toString())
                .isThrownBy(() -> ApiKeys.parse(entries))
                .withMessageContaining("imgpress.security.api-keys")
                .withMessageContaining(message)
                .withMessageContaining("openssl rand -hex 32"));
  }

  @Test
  void theEntriesAreSettableAsOneEnvironmentVariable() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                "env",
                Map.of(
                    "IMGPRESS_SECURITY_API_KEYS",
                    "alice:" + hash(ALICE_KEY) + ",bob:" + hash(BOB_KEY))));
    ConfigurationPropertySources.attach(env);

    List<String> entries =
        Binder.get(env).bind("imgpress.security.api-keys", Bindable.listOf(String.class)).get();

    assertThat(ApiKeys.parse(entries).ownerOf(BOB_KEY)).contains("bob");
  }

  @Test
  void propertiesTellWhetherKeysAreConfigured() {
    SecurityProperties.Cors cors = new SecurityProperties.Cors(List.of());
    SecurityProperties.Limits limits = new SecurityProperties.Limits(10, 100_000);
    assertThat(new SecurityProperties(cors, List.of(), limits).apiKeysConfigured()).isFalse();
    assertThat(
            new SecurityProperties(cors, List.of("alice:" + hash(ALICE_KEY)), limits)
                .apiKeysConfigured())
        .isTrue();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new SecurityProperties(cors, List.of("alice"), limits));
  }
}
