package io.imgpress.web;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.security.Caller;
import io.imgpress.webhook.OwnerWebhookSecrets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /webhook-secret}: the caller's own key for verifying their webhook deliveries. */
@ConditionalOnApiRole
@RestController
@Tag(name = OpenApiConfiguration.Tags.WEBHOOKS)
class WebhookSecretController {

  private final OwnerWebhookSecrets secrets;

  WebhookSecretController(OwnerWebhookSecrets secrets) {
    this.secrets = secrets;
  }

  @Operation(
      operationId = "webhookSecret",
      summary = "Your webhook signing secret",
      description =
          "With API keys, the deliveries of your requests' webhooks are signed with a secret of"
              + " your own, in both signatures: `X-Imgpress-Signature` (HMAC-SHA256 keyed with"
              + " the bytes of `secret`) and `webhook-signature` (Standard Webhooks; give their"
              + " libraries `standardSecret`). It never changes while the service's master"
              + " secret (imgpress.webhook.secret) stays the same.")
  @ApiResponse(
      responseCode = "200",
      description = "Your secret",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = WebhookSecretResponse.class)))
  @ApiResponse(
      responseCode = "404",
      description =
          "No API keys are configured, so there are no owners' secrets: deliveries are signed"
              + " with imgpress.webhook.secret itself; or this API process does not know the"
              + " master secret (webhook-secret-unavailable)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples =
                  @ExampleObject(
                      name = "webhook-secret-unavailable",
                      value = ApiExamples.WEBHOOK_SECRET_UNAVAILABLE)))
  @ApiResponse(responseCode = "500", ref = OpenApiConfiguration.INTERNAL_ERROR_REF)
  @GetMapping(path = "/webhook-secret", produces = MediaType.APPLICATION_JSON_VALUE)
  WebhookSecretResponse secret(@Parameter(hidden = true) Caller caller) {
    if (caller.owner() == null) {
      throw new WebhookSecretUnavailableException(
          "no API keys are configured, so deliveries are signed with the service's own secret"
              + " (imgpress.webhook.secret, or the webhook-secret file in its data dir)");
    }
    return secrets
        .of(caller.owner())
        .map(s -> new WebhookSecretResponse(s.owner(), s.secret(), s.standardSecret()))
        .orElseThrow(
            () ->
                new WebhookSecretUnavailableException(
                    "this API process does not know the webhook master secret: set"
                        + " imgpress.webhook.secret (IMGPRESS_WEBHOOK_SECRET) on it as on the"
                        + " workers"));
  }

  @Schema(name = "WebhookSecret", description = "The caller's webhook signing secret")
  record WebhookSecretResponse(
      @Schema(description = "The owner of the API key", example = "alice") String owner,
      @Schema(
              description = "Key of X-Imgpress-Signature: HMAC-SHA256 over its UTF-8 bytes",
              example = "3f1c0e5a9b7d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4")
          String secret,
      @Schema(
              description = "The same key for Standard Webhooks libraries",
              example =
                  "whsec_M2YxYzBlNWE5YjdkMmM0ZTZmOGEwYjFjMmQzZTRmNWE2YjdjOGQ5ZTBmMWEyYjNjNGQ1ZTZmNzA4MTkyYTNiNA==")
          String standardSecret) {}
}
