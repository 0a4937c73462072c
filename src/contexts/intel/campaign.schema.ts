import { z } from 'zod';

/**
 * The wire form of campaigns (GET/POST /api/v1/campaigns…): the server's routes, its services' return
 * types and the console's types all derive from these schemas.
 */
const campaignFields = {
  id: z.string(),
  name: z.string(),
  incidents: z.array(z.string()),
  categories: z.array(z.string()),
  membersTouched: z.array(z.string()),
  /** Computed over the incidents the reader may read. */
  firstSeen: z.string(),
  lastSeen: z.string(),
  links: z.number(),
  maxScore: z.number(),
};

/** Suggested from strong correlations between incidents the reader may read (never stored). */
export const SuggestedCampaignView = z.object({ ...campaignFields, status: z.literal('suggested') });
export type SuggestedCampaign = z.infer<typeof SuggestedCampaignView>;

/** Confirmed by an organisation: a STIX campaign with related-to links to its incidents. */
export const ConfirmedCampaignView = z.object({
  ...campaignFields,
  status: z.literal('confirmed'),
  author: z.string(),
  confidence: z.number(),
  tlp: z.string(),
  audience: z.array(z.string()),
  description: z.string(),
});
export type CampaignView = z.infer<typeof ConfirmedCampaignView>;

/** One campaign of a list or a single read: confirmed or suggested. */
export const CampaignItem = z.discriminatedUnion('status', [ConfirmedCampaignView, SuggestedCampaignView]);
export type CampaignItemView = z.infer<typeof CampaignItem>;
