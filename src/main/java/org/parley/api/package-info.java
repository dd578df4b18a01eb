/**
 * The JSON API, version 1 ({@code /api/v1}, docs/api.md): the same data as the pages, for apps and tools, described
 * by the OpenAPI 3.1 document at {@code /api/v1/openapi.json} that the tests hold every response to.
 */
package org.parley.api;
