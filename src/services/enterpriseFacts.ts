import { freezeEnterprise, type FrozenEnterprise } from '../domain/enterprise';

/**
 * 企业基本信息 as a page about one version shows it: as the version froze it at submission, or
 * (for versions from before frozen facts were kept) the enterprise's current facts.
 */
export interface EnterpriseFacts {
  name: string;
  creditCode: string;
  ownerless: boolean;
  legalRep: string | null;
  safetyHead: string | null;
  contactName: string | null;
  contactPhone: string | null;
  contactMobile: string | null;
  email: string | null;
  address: string | null;
  regionCode: string;
  regionName: string | null;
  supervisingAgencyName: string | null;
  /** The 企业基本信息 form's values by field code (domain/enterprise), for a field-by-field listing. */
  values: Readonly<Record<string, string | number | boolean | null>>;
  /** Frozen by the version; false when these are the enterprise's current facts. */
  frozen: boolean;
}

/**
 * The facts a version shows: those it froze, or (a version from before they were kept) the
 * enterprise's current ones, with its current region and agency names.
 */
export function versionEnterpriseFacts(
  frozen: FrozenEnterprise | null,
  current: Parameters<typeof freezeEnterprise>[0],
  names: Parameters<typeof freezeEnterprise>[1],
): EnterpriseFacts {
  return frozen ? enterpriseFacts(frozen, true) : enterpriseFacts(freezeEnterprise(current, names), false);
}

function enterpriseFacts(e: FrozenEnterprise, frozen: boolean): EnterpriseFacts {
  return {
    name: e.name,
    creditCode: e.credit_code,
    ownerless: e.ownerless,
    legalRep: e.legal_rep,
    safetyHead: e.safety_head,
    contactName: e.contact_name,
    contactPhone: e.contact_phone,
    contactMobile: e.contact_mobile,
    email: e.email,
    address: e.address,
    regionCode: e.region_code,
    regionName: e.region_name,
    supervisingAgencyName: e.supervising_agency_name,
    values: { ...e },
    frozen,
  };
}
