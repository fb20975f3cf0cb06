/** Tests of deployment: model URIs, the deployer against a real server, KServe manifests. */
package dev.tidemark.serving.deploy;
