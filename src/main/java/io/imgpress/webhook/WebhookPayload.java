package io.imgpress.webhook;

import io.imgpress.request.RequestStatus;
import java.util.UUID;

/** The JSON body of a {@code request.completed} delivery. */
record WebhookPayload(
    String event,
    UUID requestId,
    RequestStatus status,
    int totalImages,
    int processedImages,
    int failedImages,
    String csvUrl,
    String statusUrl) {}
