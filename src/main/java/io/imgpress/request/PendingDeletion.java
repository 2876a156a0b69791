package io.imgpress.request;

import java.time.Instant;
import java.util.UUID;

/**
 * A deleted request whose stored images may still exist: recorded with the removal of its rows,
 * forgotten once they are gone for good (see {@link RequestRepository#delete}).
 *
 * @param deletedAt when its rows were removed
 */
public record PendingDeletion(UUID requestId, Instant deletedAt) {}
