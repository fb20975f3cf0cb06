/**
 * Deployment: {@link dev.tidemark.serving.deploy.ModelUri} (which repository, model and version a
 * URI names), {@link dev.tidemark.serving.deploy.Deployer} (load a version on a running server and
 * wait until it is ready: the pipeline's deploy component) and {@link
 * dev.tidemark.serving.deploy.KServeManifests} (the KServe InferenceService, Secret and
 * ServiceAccount for the same model on Kubernetes).
 */
package dev.tidemark.serving.deploy;
