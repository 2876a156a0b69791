package io.imgpress.web;

/** Example bodies for the OpenAPI description; constants, so annotations can use them. */
final class ApiExamples {

  static final String REQUEST_ID = "3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b";

  static final String INVALID_CSV =
      """
      {"type":"/problems/invalid-csv","title":"Invalid CSV","status":400,
       "detail":"line 2: empty product name (and 2 more errors)","instance":"/upload",
       "errors":[{"line":2,"column":"Product Name","message":"empty product name"},
                 {"line":3,"column":"S. No.","message":"serial number \\"x\\" is not a positive integer"},
                 {"line":3,"column":"Input Image Urls","message":"URL \\"ftp://example.com/b.jpg\\" is not http(s)"}]}""";

  static final String INVALID_UPLOAD =
      """
      {"type":"/problems/invalid-upload","title":"Invalid upload","status":400,
       "detail":"quality must be a whole number from 1 to 100, or auto","instance":"/upload",
       "field":"quality"}""";

  static final String FORMAT_NOT_WRITTEN =
      """
      {"type":"/problems/invalid-upload","title":"Invalid upload","status":400,
       "detail":"avif output needs the native engine (libvips); this service runs the portable\
       engine","instance":"/upload","field":"format"}""";

  static final String ORIGIN_NOT_ALLOWED =
      """
      {"type":"/problems/origin-not-allowed","title":"Origin not allowed","status":403,
       "detail":"a browser sent this request for a page on another origin; only this service's\
       own page and the origins in imgpress.security.cors.allowed-origins may post here",
       "instance":"/upload"}""";

  static final String MISSING_FILE =
      """
      {"title":"Bad Request","status":400,
       "detail":"Required part 'file' is not present.","instance":"/upload"}""";

  static final String INVALID_MULTIPART =
      """
      {"type":"/problems/invalid-multipart","title":"Invalid multipart body","status":400,
       "detail":"the multipart body is malformed or ends before its closing boundary",
       "instance":"/upload"}""";

  static final String TOO_MANY_PARTS =
      """
      {"type":"/problems/too-many-parts","title":"Too many parts","status":400,
       "detail":"the multipart body has more than 50 parts; an upload takes file, webhookUrl,\
       quality, format, maxWidth and maxHeight","instance":"/upload"}""";

  static final String CSV_TOO_LARGE =
      """
      {"type":"/problems/invalid-csv","title":"Invalid CSV","status":413,
       "detail":"line 10002: more than 10000 rows","instance":"/upload",
       "errors":[{"line":10002,"column":null,"message":"more than 10000 rows"}]}""";

  static final String BACKLOG_FULL =
      """
      {"type":"/problems/backlog-full","title":"Too much work waiting","status":503,
       "detail":"500012 jobs are waiting, more than this service takes before it refuses new\
       uploads (500000); try again later","instance":"/upload"}""";

  static final String WEBHOOK_SECRET_UNAVAILABLE =
      """
      {"type":"/problems/webhook-secret-unavailable","title":"Webhook secret unavailable",\
      "status":404,"detail":"no API keys are configured, so deliveries are signed with the\
       service's own secret (imgpress.webhook.secret, or the webhook-secret file in its data\
       dir)","instance":"/webhook-secret"}""";

  static final String API_KEY_REQUIRED =
      """
      {"type":"/problems/api-key-required","title":"API key required","status":401,
       "detail":"this service needs an API key: send Authorization: Bearer <key>",
       "instance":"/requests"}""";

  static final String LIMIT_REACHED =
      """
      {"type":"/problems/limit-reached","title":"Limit reached","status":429,
       "detail":"you uploaded 99500 images in the last hour; with this upload's 1000 that is\
       more than one owner may upload in an hour (100000,\
       imgpress.security.limits.images-per-hour)","instance":"/upload",
       "limit":"images-per-hour"}""";

  static final String REQUEST_NOT_FOUND =
      """
      {"type":"/problems/request-not-found","title":"Request not found","status":404,
       "detail":"no request with id 3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b",
       "instance":"/status/3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b"}""";

  static final String REQUEST_NOT_FINAL =
      """
      {"type":"/problems/request-not-final","title":"Request not finished","status":409,
       "detail":"request 3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b is still processing: 1 of 3 images processed",
       "instance":"/csv/3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b",
       "requestStatus":"processing","totalImages":3,"processedImages":1,"failedImages":0}""";

  static final String INVALID_QUERY =
      """
      {"type":"/problems/invalid-query","title":"Invalid query","status":400,
       "detail":"size must be a whole number from 1 to 100","instance":"/requests",
       "field":"size"}""";

  static final String INVALID_PRODUCT_PAGE =
      """
      {"type":"/problems/invalid-query","title":"Invalid query","status":400,
       "detail":"size must be a whole number from 1 to 1000",
       "instance":"/status/3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b","field":"size"}""";

  static final String INVALID_SINCE =
      """
      {"type":"/problems/invalid-query","title":"Invalid query","status":400,
       "detail":"since must be a whole number from 0",
       "instance":"/status/3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b/events","field":"since"}""";

  static final String TOO_MANY_STREAMS =
      """
      {"type":"/problems/too-many-streams","title":"Too many event streams","status":503,
       "detail":"too many open event streams; poll /status/{requestId} instead",
       "instance":"/status/3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b/events"}""";

  static final String STATUS_EVENT =
      """
      event:status
      data:{"requestId":"3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b","status":"processing",\
      "totalImages":3,"processedImages":1,"failedImages":0,…,"products":[…]}

      """;

  static final String PROGRESS_EVENT =
      """
      id:5
      event:progress
      data:{"requestId":"3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b","status":"processing",\
      "totalImages":3,"processedImages":1,"failedImages":0,\
      "createdAt":"2026-01-01T12:00:00Z","updatedAt":"2026-01-01T12:00:04.5Z","changeNumber":5,\
      "webhook":null,"images":[{"imageId":7,"status":"completed",\
      "outputUrl":"https://imgpress.example.com/images/3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b/7.jpg",\
      "previewUrl":\
      "https://imgpress.example.com/images/3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b/7-before.jpg",\
      "error":null,"inputBytes":482133,"outputBytes":96410,"changeNumber":4},\
      {"imageId":8,"status":"processing","outputUrl":null,"previewUrl":null,"error":null,\
      "inputBytes":null,"outputBytes":null,"changeNumber":5}]}

      """;

  static final String IMAGE_NOT_FOUND =
      """
      {"title":"Not Found","status":404,"detail":"no such image",
       "instance":"/images/3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b/7.jpg"}""";

  static final String INTERNAL_ERROR =
      """
      {"type":"/problems/internal-error","title":"Internal error","status":500,
       "detail":"the server could not complete the request; it has been logged",
       "instance":"/upload"}""";

  static final String RESULT_CSV =
      """
      S. No.,Product Name,Input Image Urls,Output Image Urls\r
      1,"SKU1","https://example.com/a.jpg,https://example.com/b.jpg","https://imgpress.example.com/images/3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b/1.jpg,"\r
      2,"SKU2","https://example.com/c.png","https://imgpress.example.com/images/3f0c9a52-6d1e-4b8f-9a3e-2c5d7e8f1a2b/3.jpg"\r
      """;

  private ApiExamples() {}
}
