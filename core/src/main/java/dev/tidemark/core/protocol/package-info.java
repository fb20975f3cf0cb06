/**
 * The inference protocols on the wire, shared by the model server and the remote scorer: KServe V1
 * and the Open Inference Protocol (V2) REST records, and the V2 form of a batch of trips.
 */
package dev.tidemark.core.protocol;
