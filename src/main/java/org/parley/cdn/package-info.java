/**
 * Static files on a CDN: {@code parley push-static} uploads the build's content-hashed files to an S3-compatible
 * bucket that the CDN serves; pages link them through {@code PARLEY_CDN_BASE_URL} (see web.Assets).
 */
package org.parley.cdn;
