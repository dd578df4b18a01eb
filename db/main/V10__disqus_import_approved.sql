-- A post held for moderation: Disqus's API calls it isApproved=false, and Parley's own export writes it, so a
-- pending comment stays pending through export and import (absent means approved, as in Disqus's exports).
ALTER TABLE disqus_import_post ADD COLUMN approved boolean NOT NULL DEFAULT true;
