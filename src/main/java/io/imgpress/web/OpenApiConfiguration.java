package io.imgpress.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.imgpress.ConditionalOnApiRole;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;

/**
 * The API's description for {@code /v3/api-docs} and Swagger UI. The operations, fields and
 * problems are described by annotations on the controllers and response records of this package.
 */
@ConditionalOnApiRole
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  // The contract's version, not the build's: it changes when the API does, so the committed
  // swagger.yaml does not churn on every release.
  static final String API_VERSION = "1.0";

  /** A response every operation shares; reference it with {@link #INTERNAL_ERROR_REF}. */
  static final String INTERNAL_ERROR = "InternalError";

  static final String INTERNAL_ERROR_REF = "#/components/responses/" + INTERNAL_ERROR;

  /** The 404 of every operation on one request; reference it with {@link #NOT_FOUND_REF}. */
  static final String REQUEST_NOT_FOUND = "RequestNotFound";

  static final String NOT_FOUND_REF = "#/components/responses/" + REQUEST_NOT_FOUND;

  /** The 401 of every operation but the images'; added by {@link #apiKeys()}. */
  static final String API_KEY_REQUIRED = "ApiKeyRequired";

  static final String API_KEY_SCHEME = "apiKey";

  @Bean
  OpenAPI imgpressOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("imgpress")
                .version(API_VERSION)
                .description(
                    """
                    Upload a CSV of product image URLs and get a request ID back at once. Every \
                    image is then downloaded, compressed to JPEG, stored and recorded in the \
                    background; poll `/status/{requestId}`, or give a `webhookUrl`, and fetch \
                    the result CSV from `/csv/{requestId}` when the request is final.

                    Every error is `application/problem+json` (RFC 9457) with a `type` under \
                    `/problems/` (absent, meaning `about:blank`, for plain HTTP errors such as \
                    an unknown image), a `title`, the HTTP `status` and a human-readable \
                    `detail`."""))
        .addTagsItem(new Tag().name(Tags.UPLOADS).description("Submit a CSV"))
        .addTagsItem(new Tag().name(Tags.REQUESTS).description("Progress and result of a request"))
        .addTagsItem(new Tag().name(Tags.IMAGES).description("The compressed images"))
        .addTagsItem(new Tag().name(Tags.WEBHOOKS).description("Verifying webhook deliveries"))
        .components(
            new Components()
                .addSecuritySchemes(
                    API_KEY_SCHEME,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description(
                            "An API key, when the service has keys configured"
                                + " (imgpress.security.api-keys): Authorization: Bearer <key>."
                                + " Without configured keys no key is needed."))
                .addResponses(
                    API_KEY_REQUIRED,
                    problemResponse(
                        "API keys are configured and the Authorization: Bearer key is missing or"
                            + " unknown (api-key-required); WWW-Authenticate: Bearer",
                        "api-key-required",
                        ApiExamples.API_KEY_REQUIRED))
                .addResponses(
                    REQUEST_NOT_FOUND,
                    problemResponse(
                        "No request has this id, it is not a UUID, or the request belongs to"
                            + " another owner (request-not-found)",
                        "request-not-found",
                        ApiExamples.REQUEST_NOT_FOUND))
                .addResponses(
                    INTERNAL_ERROR,
                    problemResponse(
                        "Unexpected error (internal-error); it is logged with its cause, which"
                            + " the answer never shows",
                        "internal-error",
                        ApiExamples.INTERNAL_ERROR)));
  }

  /**
   * Lets the nullable enums take null. In OpenAPI 3.1 a schema is JSON Schema, where {@code enum}
   * restricts every value, null included: {@code nullable = true} alone makes {@code type: [string,
   * "null"]} but leaves null out of the enum, so a null (such as a CSV error's column when the
   * whole row is at fault) would contradict the schema.
   */
  @Bean
  OpenApiCustomizer nullableEnumsTakeNull() {
    return api -> {
      Map<String, Schema> schemas = api.getComponents().getSchemas();
      if (schemas != null) {
        schemas.values().forEach(OpenApiConfiguration::letNullableEnumsTakeNull);
      }
    };
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void letNullableEnumsTakeNull(Schema schema) {
    if (schema == null) {
      return;
    }
    List<Object> values = schema.getEnum();
    if (values != null
        && !values.contains(null)
        && schema.getTypes() != null
        && schema.getTypes().contains("null")) {
      List<Object> withNull = new ArrayList<>(values);
      withNull.add(null);
      schema.setEnum(withNull);
    }
    if (schema.getProperties() != null) {
      ((Map<String, Schema>) schema.getProperties())
          .values()
          .forEach(OpenApiConfiguration::letNullableEnumsTakeNull);
    }
    letNullableEnumsTakeNull(schema.getItems());
  }

  /**
   * Every operation takes the API key (or none, on a service without keys) and may answer 401,
   * except the images, which are public behind unguessable paths.
   */
  @Bean
  OpenApiCustomizer apiKeys() {
    return api -> {
      if (api.getPaths() == null) {
        return;
      }
      api.getPaths()
          .forEach(
              (path, item) ->
                  item.readOperations()
                      .forEach(
                          operation -> {
                            if (path.startsWith("/images/")) {
                              operation.setSecurity(List.of());
                              return;
                            }
                            operation.setSecurity(
                                List.of(
                                    new SecurityRequirement().addList(API_KEY_SCHEME),
                                    new SecurityRequirement()));
                            operation
                                .getResponses()
                                .addApiResponse(
                                    "401",
                                    new ApiResponse()
                                        .$ref("#/components/responses/" + API_KEY_REQUIRED));
                          }));
    };
  }

  /**
   * The data of {@code progress} events, which no operation references (an event stream is text),
   * as a schema of its own.
   */
  @Bean
  OpenApiCustomizer eventSchemas() {
    return openApi ->
        ModelConverters.getInstance(true)
            .readAll(new AnnotatedType(ProgressEvent.class))
            .forEach(openApi.getComponents()::addSchemas);
  }

  private static ApiResponse problemResponse(String description, String name, String example) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    new io.swagger.v3.oas.models.media.MediaType()
                        .schema(new Schema<>().$ref("Problem"))
                        .addExamples(name, new Example().value(json(example)))));
  }

  private static JsonNode json(String example) {
    try {
      return Json.mapper().readTree(example);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("invalid example " + example, e);
    }
  }

  /** Operation tags, one per controller. */
  static final class Tags {
    static final String UPLOADS = "uploads";
    static final String REQUESTS = "requests";
    static final String IMAGES = "images";
    static final String WEBHOOKS = "webhooks";

    private Tags() {}
  }
}
