package io.imgpress.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys of {@code imgpress.security.api-keys}: entries {@code owner:sha256hex}, the SHA-256
 * of each key in hex, so no key is ever configured, stored or logged. A presented key is hashed and
 * compared with every entry in constant time ({@link MessageDigest#isEqual}), without stopping at a
 * match, so the time taken tells nothing about which entry, or how much of one, matched.
 */
public final class ApiKeys {

  /** What an owner's name may hold: it is stored with each request and shown in logs. */
  static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final String PROPERTY = "imgpress.security.api-keys";

  private final List<Entry> entries;

  private ApiKeys(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses and checks the entries; blank ones are skipped (an empty environment variable means no
   * keys).
   *
   * @throws IllegalArgumentException naming the property and the entry at fault: not {@code
   *     owner:hash}, an owner name outside {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, a hash that is
   *     not 64 hex digits, or an owner or hash given twice
   */
  public static ApiKeys parse(List<String> configured) {
    List<Entry> entries = new ArrayList<>();
    Set<String> owners = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    int position = 0;
    for (String raw : configured == null ? List.<String>of() : configured) {
      position++;
      if (raw == null || raw.isBlank()) {
        continue;
      }
      String entry = raw.strip();
      int colon = entry.indexOf(':');
      if (colon < 0) {
        throw invalid(position, "is not owner:sha256hex (no colon)");
      }
      String owner = entry.substring(0, colon).strip();
      String hash = entry.substring(colon + 1).strip();
      if (!OWNER.matcher(owner).matches()) {
        throw invalid(
            position,
            "has the owner name '%s'; an owner is 1 to 64 of A-Z a-z 0-9 . _ - starting with a letter or digit"
                .formatted(owner));
      }
      if (!SHA256_HEX.matcher(hash).matches()) {
        throw invalid(
            position,
            ("(owner %s) does not have a SHA-256 in hex after the colon (64 hex digits, %d"
                    + " characters given); configure the hash of the key, never the key")
                .formatted(owner, hash.length()));
      }
      hash = hash.toLowerCase(Locale.ROOT);
      if (!owners.add(owner)) {
        throw invalid(position, "names the owner %s a second time".formatted(owner));
      }
      if (!hashes.add(hash)) {
        throw invalid(
            position,
            "(owner %s) has the same key hash as an earlier entry; give each owner a key of its own"
                .formatted(owner));
      }
      entries.add(new Entry(owner, HexFormat.of().parseHex(hash)));
    }
    return new ApiKeys(entries);
  }

  private static IllegalArgumentException invalid(int position, String problem) {
    return new IllegalArgumentException(
        "%s: entry %d %s. Make a key and its entry with: key=$(openssl rand -hex 32); echo \"key: $key\"; echo \"entry: alice:$(printf %%s \"$key\" | sha256sum | cut -d' ' -f1)\""
            .formatted(PROPERTY, position, problem));
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The owner whose key this is; empty for null, blank or unknown keys. */
  public Optional<String> ownerOf(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(presentedKey);
    String owner = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(hash, entry.hash()) && owner == null) {
        owner = entry.owner();
      }
    }
    return Optional.ofNullable(owner);
  }

  /** The owners, in the configured order. */
  public List<String> owners() {
    return entries.stream().map(Entry::owner).toList();
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private record Entry(String owner, byte[] hash) {}
}
