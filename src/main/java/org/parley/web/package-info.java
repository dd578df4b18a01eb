/**
 * The HTTP plumbing every feature shares: templates, the single error path (HttpError → ErrorFilter → ErrorPages), and the request log with request ids and SQL counts.
 */
package org.parley.web;
