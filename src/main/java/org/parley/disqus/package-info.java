/**
 * Moving from Disqus: reading its export format (streaming, in bounded memory), and, as they land, the import
 * into threads and comments, the export, single sign-on and the drop-in embed (docs/disqus.md).
 */
package org.parley.disqus;
