/**
 * Late data, captured and never silently lost: elements that arrive after their window expired (the
 * watermark passed the window's end plus the allowed lateness) are emitted as {@link
 * dev.tidemark.transforms.late.LateElement}s with their window and the reason, instead of being
 * dropped by the runner.
 */
package dev.tidemark.transforms.late;
