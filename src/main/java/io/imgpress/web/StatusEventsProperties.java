package io.imgpress.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Server-sent status streams ({@code GET /status/{id}/events}).
 *
 * @param maxStreams streams open at once; more are refused with 503 so pollers take over
 * @param pollInterval how often each open stream reads its request
 * @param heartbeat longest silence before a comment line is sent, which also finds dead clients
 * @param maxDuration longest life of one stream; the client then reconnects or polls
 */
@Validated
@ConfigurationProperties("imgpress.web.events")
record StatusEventsProperties(
    @Min(1) @Max(100_000) @DefaultValue("200") int maxStreams,
    @NotNull @DefaultValue("500ms") Duration pollInterval,
    @NotNull @DefaultValue("15s") Duration heartbeat,
    @NotNull @DefaultValue("30m") Duration maxDuration) {}
