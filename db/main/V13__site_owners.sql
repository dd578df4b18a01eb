-- Owners and moderators of a site: both moderate; owners also change the site's settings and appoint or remove
-- its moderators. Every moderator so far could change settings, so each keeps that as an owner; new appointments
-- are moderators unless made owners.
ALTER TABLE site_moderator ADD COLUMN role text NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'moderator'));
ALTER TABLE site_moderator ALTER COLUMN role SET DEFAULT 'moderator';
