/**
 * The wire types of the two protocols the server speaks: KServe V1 ({@code /v1/models/...}) and the
 * Open Inference Protocol V2 REST ({@code /v2/...}), and the error body {@code {"error": ...}} with
 * its HTTP status. Plain records serialized by Jackson; no HTTP and no model code here.
 */
package dev.tidemark.serving.protocol;
