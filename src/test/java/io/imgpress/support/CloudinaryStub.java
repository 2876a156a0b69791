package io.imgpress.support;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Cloudinary product environment on loopback, for tests: what imgpress's Cloudinary store uses of
 * the documented APIs, as the official Java SDK sends it.
 *
 * <ul>
 *   <li>Upload API, {@code POST /v1_1/<cloud>/image/upload}, {@code multipart/form-data} (or
 *       urlencoded): the signature is checked as Cloudinary documents it: every parameter sent
 *       except {@code file}, {@code cloud_name}, {@code resource_type}, {@code api_key} (and the
 *       {@code signature} itself), with a value, sorted by name, {@code name=value} joined by
 *       {@code &} (an array parameter {@code name[]} signs as {@code name=a,b}), the API secret
 *       appended, hashed: SHA-1 (40 hex digits) or SHA-256 (64), as an account accepts both by
 *       default, or SHA-256 only once so configured ({@link #sha256Only}). A value's {@code &} is
 *       signed as {@code %26} (the SDKs' signature version 2) or as it is (version 1, older SDKs).
 *       The {@code timestamp} must be at most an hour old. A mismatch, a missing or unknown API key
 *       and a stale timestamp are answered 401 with Cloudinary's error shape {@code
 *       {"error":{"message":...}}}. {@code public_id} (under {@code folder} when given, as in
 *       fixed-folder accounts), {@code overwrite} (default true; false keeps the asset there and
 *       answers {@code "existing": true} with its details), {@code type} (upload only) are
 *       honoured; the answer carries {@code public_id, version, version_id, signature, format,
 *       resource_type, type, created_at, bytes, etag, url, secure_url, existing, ...}.
 *   <li>Delivery, {@code GET /<cloud>/image/upload/[v<version>/]<public_id>.<format>}: the bytes as
 *       uploaded, with an {@code ETag} and a length. Both {@code url} and {@code secure_url} point
 *       here, over plain HTTP (there is no TLS on loopback).
 *   <li>Admin API {@code GET /v1_1/<cloud>/ping}: {@code {"status":"ok"}} to HTTP Basic
 *       authentication with the key and secret, 401 otherwise.
 *   <li>Admin API {@code DELETE /v1_1/<cloud>/resources/image/upload} by {@code public_ids[]} or
 *       {@code prefix}, with the same authentication (see {@link #deleteResources}).
 * </ul>
 *
 * <p>What it does not do: decode images (Cloudinary answers 400 "Invalid image file" to bytes that
 * are not one; this stub stores anything, so the contract suite's few-byte objects pass),
 * transformations, conversions on delivery (a format other than the stored one is 404), eager or
 * async processing, upload presets, rate limits (see {@link #failNext}), the CDN's caching.
 */
public final class CloudinaryStub implements AutoCloseable {

  public static final String CLOUD = "imgpress-test";
  public static final String API_KEY = "614335564976464";
  public static final String API_SECRET = "stub-secret-Ka8fQ2pLx0";

  private static final Set<String> UNSIGNED =
      Set.of("file", "cloud_name", "resource_type", "api_key", "signature");
  private static final Pattern UPLOAD = Pattern.compile("/v1_1/([^/]+)/(image)/upload");
  private static final Pattern PING = Pattern.compile("/v1_1/([^/]+)/ping");
  private static final Pattern RESOURCES =
      Pattern.compile("/v1_1/([^/]+)/resources/(image)/(upload)");
  private static final Pattern DELIVERY =
      Pattern.compile("/([^/]+)/image/upload/(?:v[0-9]+/)?(.+)\\.([A-Za-z0-9]+)");
  private static final DateTimeFormatter REPORTED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000'").withZone(ZoneOffset.UTC);

  private final LoopbackServer server = new LoopbackServer();
  private final Map<String, Asset> assets = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();
  private final AtomicInteger uploads = new AtomicInteger();
  private final AtomicInteger pings = new AtomicInteger();
  private final AtomicInteger deletes = new AtomicInteger();
  private volatile int deletePageSize = 1000;
  private final ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
  private volatile Clock clock = Clock.systemUTC();
  private volatile boolean sha256Only;

  /** One stored asset. */
  public record Asset(String publicId, String format, byte[] bytes, long version, Instant created) {

    public String etag() {
      return hex(digest("MD5", bytes));
    }
  }

  public CloudinaryStub() {
    server.on("/v1_1/", this::api).on("/", this::deliver);
  }

  /** {@code CLOUDINARY_URL} for this stub: uploads and delivery both come here. */
  public String cloudinaryUrl() {
    return cloudinaryUrl(API_KEY, API_SECRET, "");
  }

  /**
   * {@code CLOUDINARY_URL} for this stub with other credentials and more query parameters ({@code
   * &name=value...}).
   */
  public String cloudinaryUrl(String apiKey, String apiSecret, String moreQuery) {
    String here = "127.0.0.1:" + server.port();
    return "cloudinary://"
        + apiKey
        + ":"
        + apiSecret
        + "@"
        + CLOUD
        + "?upload_prefix="
        + URLEncoder.encode("http://" + here, StandardCharsets.UTF_8)
        + "&secure=false&cname="
        + here
        + moreQuery;
  }

  /** The Upload API's URL for {@code image}. */
  public String uploadUrl() {
    return server.url("/v1_1/" + CLOUD + "/image/upload");
  }

  /** The delivery URL prefix of this stub's cloud ({@code http://127.0.0.1:<port>/<cloud>}). */
  public String deliveryPrefix() {
    return server.url("/" + CLOUD);
  }

  /** The public ids stored. */
  public Set<String> publicIds() {
    return new TreeSet<>(assets.keySet());
  }

  public Asset asset(String publicId) {
    return assets.get(publicId);
  }

  /** Upload requests received, accepted or not. */
  public int uploads() {
    return uploads.get();
  }

  /** Admin API pings received, accepted or not. */
  public int pings() {
    return pings.get();
  }

  /** Admin API delete calls received, accepted or not. */
  public int deletes() {
    return deletes.get();
  }

  /**
   * How many assets one delete by prefix removes before answering {@code "partial": true} (1,000,
   * as Cloudinary does).
   */
  public CloudinaryStub deletePageSize(int size) {
    this.deletePageSize = size;
    return this;
  }

  /** The next {@code count} uploads are answered {@code status} (420 for a limit, 5xx...). */
  public CloudinaryStub failNext(int count, int status) {
    for (int i = 0; i < count; i++) {
      failures.add(status);
    }
    return this;
  }

  /** Accepts only SHA-256 signatures, as an account restricted to them on request does. */
  public CloudinaryStub sha256Only(boolean only) {
    this.sha256Only = only;
    return this;
  }

  /** The server's clock, against which timestamps are judged. */
  public CloudinaryStub clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * The signature of {@code params} as Cloudinary computes it (see the class comment); {@code
   * escapeAmpersands} for signature version 2.
   */
  public static String signature(
      Map<String, String> params, String secret, String algorithm, boolean escapeAmpersands) {
    StringBuilder toSign = new StringBuilder();
    for (Map.Entry<String, String> param : new TreeMap<>(params).entrySet()) {
      if (UNSIGNED.contains(param.getKey()) || param.getValue().isBlank()) {
        continue;
      }
      if (!toSign.isEmpty()) {
        toSign.append('&');
      }
      String value = param.getValue();
      toSign
          .append(param.getKey())
          .append('=')
          .append(escapeAmpersands ? value.replace("&", "%26") : value);
    }
    toSign.append(secret);
    return hex(digest(algorithm, toSign.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private void api(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Matcher upload = UPLOAD.matcher(path);
    Matcher ping = PING.matcher(path);
    Matcher resources = RESOURCES.matcher(path);
    if (resources.matches() && "DELETE".equals(exchange.getRequestMethod())) {
      deletes.incrementAndGet();
      deleteResources(exchange, resources.group(1));
    } else if (upload.matches() && "POST".equals(exchange.getRequestMethod())) {
      uploads.incrementAndGet();
      upload(exchange, upload.group(1));
    } else if (ping.matches() && "GET".equals(exchange.getRequestMethod())) {
      pings.incrementAndGet();
      ping(exchange, ping.group(1));
    } else {
      error(exchange, 404, "Resource not found - " + path);
    }
  }

  private void ping(HttpExchange exchange, String cloud) throws IOException {
    if (adminAuthenticated(exchange, cloud)) {
      json(exchange, 200, "{\"status\":\"ok\"}");
    }
  }

  /** Whether an Admin API call carries the key and secret (HTTP Basic); answers 401 if not. */
  private static boolean adminAuthenticated(HttpExchange exchange, String cloud)
      throws IOException {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((API_KEY + ":" + API_SECRET).getBytes(StandardCharsets.UTF_8));
    if (!CLOUD.equals(cloud)) {
      error(exchange, 401, "Invalid cloud_name " + cloud);
      return false;
    }
    if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      error(exchange, 401, "Invalid credentials");
      return false;
    }
    return true;
  }

  /**
   * Admin API {@code DELETE /v1_1/<cloud>/resources/image/upload}: by {@code public_ids[]} or by
   * {@code prefix} (at most {@link #deletePageSize} assets per call, then {@code "partial": true}
   * with a {@code next_cursor}), parameters in the query or the urlencoded body, as the SDK sends
   * them. Answers {@code {"deleted": {public_id: "deleted"|"not_found"}, "deleted_counts": ...,
   * "partial": ...}}.
   */
  private void deleteResources(HttpExchange exchange, String cloud) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    try {
      Forms.read(exchange, params);
    } catch (IllegalArgumentException e) {
      error(exchange, 400, e.getMessage());
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      Forms.parseUrlencoded(query, params);
    }
    if (!adminAuthenticated(exchange, cloud)) {
      return;
    }
    Map<String, Object> deleted = new LinkedHashMap<>();
    boolean partial = false;
    if (params.containsKey("public_ids")) {
      for (String publicId : params.get("public_ids").split(",")) {
        deleted.put(publicId, assets.remove(publicId) != null ? "deleted" : "not_found");
      }
    } else if (params.containsKey("prefix") && !params.get("prefix").isEmpty()) {
      String prefix = params.get("prefix");
      List<String> matching =
          new TreeSet<>(assets.keySet()).stream().filter(id -> id.startsWith(prefix)).toList();
      int page = deletePageSize;
      for (String publicId : matching.subList(0, Math.min(page, matching.size()))) {
        deleted.put(publicId, assets.remove(publicId) != null ? "deleted" : "not_found");
      }
      partial = matching.size() > page;
    } else {
      error(exchange, 400, "Missing required parameter - public_ids, prefix or all");
      return;
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("deleted", deleted);
    answer.put("partial", partial);
    if (partial) {
      answer.put("next_cursor", HexFormat.of().formatHex(digest("MD5", new byte[] {1})));
    }
    json(exchange, 200, Json.write(answer));
  }

  private void upload(HttpExchange exchange, String cloud) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    byte[] file;
    try {
      file = Forms.read(exchange, params);
    } catch (IllegalArgumentException e) {
      error(exchange, 400, e.getMessage());
      return;
    }
    if (!CLOUD.equals(cloud)) {
      error(exchange, 401, "Invalid cloud_name " + cloud);
      return;
    }
    String refused = refusal(params);
    if (refused != null) {
      error(exchange, 401, refused);
      return;
    }
    Integer failure = failures.poll();
    if (failure != null) {
      error(exchange, failure, failure == 420 ? "Rate Limit Exceeded" : "General Error");
      return;
    }
    if (file == null) {
      error(exchange, 400, "Missing required parameter - file");
      return;
    }
    if (!"upload".equals(params.getOrDefault("type", "upload"))) {
      error(exchange, 400, "the stub only stores assets of delivery type upload");
      return;
    }
    String publicId = params.getOrDefault("public_id", "");
    if (publicId.isEmpty()) {
      publicId = HexFormat.of().formatHex(digest("SHA-1", file)).substring(0, 20);
    }
    String folder = params.getOrDefault("folder", "");
    if (!folder.isEmpty()) {
      publicId = folder.replaceAll("/+$", "") + "/" + publicId;
    }
    boolean overwrite = !"false".equals(params.getOrDefault("overwrite", "true"));
    String format = params.getOrDefault("format", sniff(file));
    Asset fresh = new Asset(publicId, format, file, versionNow(), clock.instant());
    boolean[] existing = {false};
    Asset now =
        assets.compute(
            publicId,
            (id, old) -> {
              if (old != null && !overwrite) {
                existing[0] = true;
                return old;
              }
              return fresh;
            });
    json(exchange, 200, describe(now, existing[0]));
  }

  /** Why the request's authentication fails, or null when it holds. */
  private String refusal(Map<String, String> params) {
    String apiKey = params.get("api_key");
    if (apiKey == null) {
      return "Must supply api_key";
    }
    if (!API_KEY.equals(apiKey)) {
      return "Unknown API key " + apiKey;
    }
    String signature = params.get("signature");
    if (signature == null) {
      return "Missing required parameter - signature";
    }
    String timestamp = params.get("timestamp");
    if (timestamp == null) {
      return "Missing required parameter - timestamp";
    }
    long reported;
    try {
      reported = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return "Invalid timestamp " + timestamp;
    }
    long now = clock.instant().getEpochSecond();
    if (now - reported > 3600) {
      return "Stale request - reported time is "
          + REPORTED.format(Instant.ofEpochSecond(reported))
          + " which is more than 1 hour ago";
    }
    String algorithm =
        switch (signature.length()) {
          case 40 -> sha256Only ? null : "SHA-1";
          case 64 -> "SHA-256";
          default -> null;
        };
    if (algorithm != null
        && (signature.equalsIgnoreCase(signature(params, API_SECRET, algorithm, true))
            || signature.equalsIgnoreCase(signature(params, API_SECRET, algorithm, false)))) {
      return null;
    }
    Map<String, String> signed = new TreeMap<>(params);
    signed.keySet().removeAll(UNSIGNED);
    signed.values().removeIf(String::isBlank);
    List<String> pairs = new ArrayList<>();
    signed.forEach((k, v) -> pairs.add(k + "=" + v));
    return "Invalid Signature "
        + signature
        + ". String to sign - '"
        + String.join("&", pairs)
        + "'.";
  }

  private long versionNow() {
    // Cloudinary's version is the upload's second; a counter keeps them distinct in fast tests.
    long base = clock.instant().getEpochSecond();
    return versions.updateAndGet(v -> Math.max(v + 1, base));
  }

  private String describe(Asset asset, boolean existing) {
    String path =
        "/image/upload/v" + asset.version() + "/" + asset.publicId() + "." + asset.format();
    String url = deliveryPrefix() + path;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("asset_id", hex(digest("MD5", asset.publicId().getBytes(StandardCharsets.UTF_8))));
    fields.put("public_id", asset.publicId());
    fields.put("version", asset.version());
    fields.put(
        "version_id",
        hex(digest("MD5", (asset.publicId() + asset.version()).getBytes(StandardCharsets.UTF_8))));
    fields.put(
        "signature",
        hex(
            digest(
                "SHA-1",
                ("public_id=" + asset.publicId() + "&version=" + asset.version() + API_SECRET)
                    .getBytes(StandardCharsets.UTF_8))));
    fields.put("format", asset.format());
    fields.put("resource_type", "image");
    fields.put(
        "created_at",
        DateTimeFormatter.ISO_INSTANT.format(
            asset.created().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    fields.put("tags", List.of());
    fields.put("bytes", (long) asset.bytes().length);
    fields.put("type", "upload");
    fields.put("etag", asset.etag());
    fields.put("placeholder", false);
    fields.put("url", url);
    fields.put("secure_url", url);
    fields.put("asset_folder", "");
    fields.put("existing", existing);
    return Json.write(fields);
  }

  private void deliver(HttpExchange exchange) throws IOException {
    Matcher delivery = DELIVERY.matcher(exchange.getRequestURI().getPath());
    Asset asset = null;
    if (delivery.matches() && CLOUD.equals(delivery.group(1))) {
      asset = assets.get(URLDecoder.decode(delivery.group(2), StandardCharsets.UTF_8));
      if (asset != null && !asset.format().equals(delivery.group(3))) {
        asset = null;
      }
    }
    if (asset == null) {
      exchange.getResponseHeaders().set("x-cld-error", "Resource not found");
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    exchange
        .getResponseHeaders()
        .set("Content-Type", "image/" + asset.format().replace("jpg", "jpeg"));
    exchange.getResponseHeaders().set("ETag", "\"" + asset.etag() + "\"");
    exchange.getResponseHeaders().set("Cache-Control", "public, max-age=2592000");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(200, head ? -1 : asset.bytes().length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(asset.bytes());
      }
    }
    exchange.close();
  }

  private static String sniff(byte[] file) {
    if (file.length >= 8 && (file[0] & 0xFF) == 0x89 && file[1] == 'P' && file[2] == 'N') {
      return "png";
    }
    if (file.length >= 12 && file[0] == 'R' && file[8] == 'W' && file[9] == 'E') {
      return "webp";
    }
    if (file.length >= 12 && new String(file, 4, 8, StandardCharsets.US_ASCII).equals("ftypavif")) {
      return "avif";
    }
    // JPEG, and anything else: the stub does not decode images (see the class comment).
    return "jpg";
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, Json.write(Map.of("error", Map.of("message", message))));
  }

  private static void json(HttpExchange exchange, int status, String body) throws IOException {
    LoopbackServer.respond(
        exchange, status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] digest(String algorithm, byte[] input) {
    try {
      return MessageDigest.getInstance(algorithm).digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public void close() {
    server.close();
  }

  /** Reads the form fields of an upload: multipart as the SDK sends it, or urlencoded. */
  private static final class Forms {

    /** Puts the text fields into {@code params}; returns the file's bytes, null without one. */
    static byte[] read(HttpExchange exchange, Map<String, String> params) throws IOException {
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, List<String>> arrays = new LinkedHashMap<>();
      byte[] file = null;
      if (type != null && type.toLowerCase().startsWith("multipart/form-data")) {
        Matcher boundary = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(type);
        if (!boundary.find()) {
          throw new IllegalArgumentException("multipart/form-data without a boundary");
        }
        for (Part part : parts(body, boundary.group(1))) {
          if (part.name().equals("file")) {
            file = part.filename() == null && part.body().length == 0 ? null : part.body();
          } else {
            add(params, arrays, part.name(), new String(part.body(), StandardCharsets.UTF_8));
          }
        }
      } else {
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String name =
              URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
          String value =
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          if (name.equals("file")) {
            file = value.getBytes(StandardCharsets.UTF_8);
          } else {
            add(params, arrays, name, value);
          }
        }
      }
      arrays.forEach((name, values) -> params.put(name, String.join(",", values)));
      return file;
    }

    /** Adds the fields of an urlencoded string (a query) to {@code params}. */
    static void parseUrlencoded(String encoded, Map<String, String> params) {
      Map<String, List<String>> arrays = new LinkedHashMap<>();
      for (String pair : encoded.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        add(params, arrays, name, value);
      }
      arrays.forEach((name, values) -> params.put(name, String.join(",", values)));
    }

    private static void add(
        Map<String, String> params, Map<String, List<String>> arrays, String name, String value) {
      if (name.endsWith("[]")) {
        arrays
            .computeIfAbsent(name.substring(0, name.length() - 2), n -> new ArrayList<>())
            .add(value);
      } else {
        params.put(name, value);
      }
    }

    private record Part(String name, String filename, byte[] body) {}

    private static List<Part> parts(byte[] body, String boundary) {
      byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
      List<Part> parts = new ArrayList<>();
      int at = indexOf(body, delimiter, 0);
      if (at < 0) {
        throw new IllegalArgumentException("multipart body without its boundary");
      }
      while (true) {
        int start = at + delimiter.length;
        if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
          return parts; // the closing delimiter
        }
        start += 2; // CRLF after the delimiter
        int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
        int next =
            indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), start);
        if (headersEnd < 0 || next < 0 || headersEnd > next) {
          throw new IllegalArgumentException("a malformed multipart part");
        }
        String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
        Matcher name =
            Pattern.compile("(?i)content-disposition:.*?\\bname=\"([^\"]*)\"").matcher(headers);
        if (!name.find()) {
          throw new IllegalArgumentException("a multipart part without a name");
        }
        Matcher filename = Pattern.compile("(?i)\\bfilename=\"([^\"]*)\"").matcher(headers);
        byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, next);
        parts.add(new Part(name.group(1), filename.find() ? filename.group(1) : null, content));
        at = next + 2;
      }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
      outer:
      for (int i = from; i <= haystack.length - needle.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }

  /** The answers' JSON. */
  private static final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    static String write(Object value) {
      return MAPPER.writeValueAsString(value);
    }
  }
}
