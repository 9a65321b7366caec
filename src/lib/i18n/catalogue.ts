// The message catalogue: one file per module and language under messages/<language>/. The kernel's
// shared texts (site, navigation, errors and fields of the shared inputs) are at the top level;
// each module's texts, error codes and field names under its own key. A module adds one line per
// language here; a language adds a folder and its lines (Swedish is the source).
import svCommon from '../../../messages/sv/common.json' with { type: 'json' };
import svContent from '../../../messages/sv/content.json' with { type: 'json' };
import svTaxonomy from '../../../messages/sv/taxonomy.json' with { type: 'json' };
import svAccounts from '../../../messages/sv/accounts.json' with { type: 'json' };
import svMedia from '../../../messages/sv/media.json' with { type: 'json' };
import svOrganizations from '../../../messages/sv/organizations.json' with { type: 'json' };
import svPartnerships from '../../../messages/sv/partnerships.json' with { type: 'json' };
import svPartnerSearch from '../../../messages/sv/partnerSearch.json' with { type: 'json' };
import enCommon from '../../../messages/en/common.json' with { type: 'json' };
import enContent from '../../../messages/en/content.json' with { type: 'json' };
import enTaxonomy from '../../../messages/en/taxonomy.json' with { type: 'json' };
import enAccounts from '../../../messages/en/accounts.json' with { type: 'json' };
import enMedia from '../../../messages/en/media.json' with { type: 'json' };
import enOrganizations from '../../../messages/en/organizations.json' with { type: 'json' };
import enPartnerships from '../../../messages/en/partnerships.json' with { type: 'json' };
import enPartnerSearch from '../../../messages/en/partnerSearch.json' with { type: 'json' };

export const sv = {
	...svCommon,
	content: svContent,
	taxonomy: svTaxonomy,
	accounts: svAccounts,
	media: svMedia,
	organizations: svOrganizations,
	partnerships: svPartnerships,
	partnerSearch: svPartnerSearch
};

/** The shape every catalogue must have: Swedish is the source. */
export type Messages = typeof sv;

// A catalogue missing a key (or with a key of the wrong shape) fails the type check here.
export const en: Messages = {
	...enCommon,
	content: enContent,
	taxonomy: enTaxonomy,
	accounts: enAccounts,
	media: enMedia,
	organizations: enOrganizations,
	partnerships: enPartnerships,
	partnerSearch: enPartnerSearch
};
