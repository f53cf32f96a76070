import { recordAudit } from '../data/audit';
import type { Knex } from 'knex';
import { captchaMatches } from '../domain/captcha';
import { offshoreOperatorIn, ownerlessError, validateEnterprise } from '../domain/enterprise';
import { NotFound, ValidationFailed } from '../domain/errors';
import type { SystemData } from '../domain/systems';
import { enterprisesRepo, type EnterpriseRow, type EnterpriseUpdate } from '../data/enterprises';
import { orgRepo } from '../data/org';
import { usersRepo } from '../data/users';
import type { ServiceDeps } from './deps';
import { agencyOffered, orgPickers, type AgencyGroup, type RegionPicker } from './orgPickers';
import type { EnterpriseUser } from './session';

export const CREDIT_CODE_TAKEN = '该统一社会信用代码已注册';
export const USERNAME_TAKEN = '该用户名已被使用，请换一个';
export const AGENCY_NOT_ON_CHAIN =
  '直接监管部门应为所在县、市、省级安监部门之一；海洋石油天然气作业者请先勾选“海洋石油天然气作业者”，再选择海油安办所属单位';
const CAPTCHA_WRONG = '验证码错误，请重新输入';

/** The lists an enterprise form needs: the region picker and the agencies for its region. */
export interface EnterpriseFormOptions {
  picker: RegionPicker;
  agencyGroups: AgencyGroup[];
}

export interface RegisterOptions {
  /** The captcha answer kept in the session (already removed from it: single use). */
  expectedCaptcha: string | null | undefined;
  /** A regulator registering an ownerless pond's enterprise. */
  registeredByAgencyId?: number | null;
  /** Who registers (the signed-in regulator; none: the enterprise itself) and from where. */
  actorId?: number | null;
  address?: string | null;
}

const UNIQUE_VIOLATION = '23505';

function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; constraint?: string };
  return e && e.code === UNIQUE_VIOLATION ? (e.constraint ?? '') : null;
}

const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Validated form data → the enterprise columns the enterprise may set. */
function enterpriseColumns(data: SystemData, regionCode: string): EnterpriseUpdate {
  return {
    name: String(data.name),
    economic_type: textOrNull(data.economic_type),
    affiliation: textOrNull(data.affiliation),
    parent_group: textOrNull(data.parent_group),
    legal_rep: textOrNull(data.legal_rep),
    safety_head: textOrNull(data.safety_head),
    contact_name: textOrNull(data.contact_name),
    contact_phone: textOrNull(data.contact_phone),
    contact_mobile: textOrNull(data.contact_mobile),
    email: textOrNull(data.email),
    address: textOrNull(data.address),
    postcode: textOrNull(data.postcode),
    region_code: regionCode,
    supervising_agency_id: Number(data.supervising_agency_id),
    ownerless: data.ownerless === true,
  };
}

/**
 * Enterprise accounts: self-registration (SPEC §4) and the enterprise's basic info (企业基本信息).
 * Region and supervising agency are checked against the organisation tree here; the fields'
 * shapes by the domain's validateEnterprise.
 */
/** 企业基本信息 as its page shows it. */
export interface EnterpriseProfile {
  /** The form's values by field code (domain/enterprise enterpriseSections), as stored. */
  values: Readonly<Record<string, unknown>>;
  creditCode: string;
  regionCode: string;
  /** Supervised from the offshore tree (the form's 海洋石油天然气作业者). */
  offshoreOperator: boolean;
  updatedAt: Date;
}

export function registrationService(knex: Knex, deps: ServiceDeps) {
  const pickers = orgPickers(knex);

  /** Picker and agency lists for a posted form, and the errors of region and agency. */
  async function checkOrg(body: Record<string, unknown>) {
    const { picker, error: regionError } = await pickers.pickerFromForm(body);
    const agencyGroups = await pickers.agencyGroups(picker.code, { offshore: offshoreOperatorIn(body) });
    return { picker, agencyGroups, regionError };
  }

  /** Runs the domain validation plus the organisation checks; throws with every error at once. */
  async function validate(
    body: Record<string, unknown>,
    mode: 'register' | 'profile',
    fixed: Record<string, string>,
    extraErrors: (data: SystemData, errors: Record<string, string>) => Promise<void>,
  ) {
    const org = await checkOrg(body);
    const input = { ...body, ...fixed, region_code: org.picker.code };
    const result = validateEnterprise(input, { mode });
    const errors = { ...result.errors };
    if (org.regionError) errors.region_code = org.regionError;
    const agencyId = result.data.supervising_agency_id;
    if (typeof agencyId === 'number' && org.picker.code && !agencyOffered(org.agencyGroups, agencyId))
      errors.supervising_agency_id = AGENCY_NOT_ON_CHAIN;
    await extraErrors(result.data, errors);
    const values = {
      ...result.values,
      region_province: org.picker.selected.province,
      region_city: org.picker.selected.city,
    };
    if (Object.keys(errors).length) throw new ValidationFailed(errors, values);
    return { data: result.data, regionCode: org.picker.code };
  }

  async function loadEnterprise(user: Pick<EnterpriseUser, 'enterpriseId'>): Promise<EnterpriseRow> {
    const row = await enterprisesRepo(knex).byId(user.enterpriseId);
    if (!row) throw new NotFound();
    return row;
  }

  return {
    /** The lists for an empty form, or a posted (or refreshed) one. */
    async formOptions(posted: Record<string, unknown> | null = null): Promise<EnterpriseFormOptions> {
      if (posted) {
        const { picker, agencyGroups } = await checkOrg(posted);
        return { picker, agencyGroups };
      }
      return { picker: await pickers.pickerFor(null), agencyGroups: await pickers.agencyGroups(null) };
    },

    /** The lists for a stored enterprise's form: its region, and its side of the tree. */
    async storedFormOptions(regionCode: string, offshore: boolean): Promise<EnterpriseFormOptions> {
      const picker = await pickers.pickerFor(regionCode);
      return { picker, agencyGroups: await pickers.agencyGroups(picker.code, { offshore }) };
    },


    /** The next level of the region selects (for the JavaScript that narrows them). */
    regionOptions: (parent: string, level: 'city' | 'county') => pickers.childOptions(parent, level),
    agencyOptions: (regionCode: string, offshore: boolean) => pickers.agencyGroups(regionCode, { offshore }),

    /**
     * Registers the enterprise and its first user (role enterprise, password chosen by the user,
     * so no forced change) in one transaction. Throws ValidationFailed with every error found.
     */
    async register(
      body: Record<string, unknown>,
      options: RegisterOptions,
    ): Promise<{ userId: number; enterpriseId: number }> {
      const { data, regionCode } = await validate(body, 'register', {}, async (d, errors) => {
        if (!captchaMatches(options.expectedCaptcha, body.captcha)) errors.captcha = CAPTCHA_WRONG;
        const ownerless = ownerlessError(d.ownerless, Boolean(options.registeredByAgencyId));
        if (ownerless && !errors.ownerless) errors.ownerless = ownerless;
        if (
          !errors.credit_code &&
          typeof d.credit_code === 'string' &&
          (await enterprisesRepo(knex).creditCodeTaken(d.credit_code))
        )
          errors.credit_code = CREDIT_CODE_TAKEN;
        if (
          !errors.username &&
          typeof d.username === 'string' &&
          (await usersRepo(knex).byUsername(d.username))
        )
          errors.username = USERNAME_TAKEN;
      });
      const passwordHash = await deps.hasher.hash(String(data.password));
      try {
        return await knex.transaction(async (trx) => {
          const enterpriseId = await enterprisesRepo(trx).insert({
            ...enterpriseColumns(data, regionCode),
            credit_code: String(data.credit_code),
            registered_by_agency_id: options.registeredByAgencyId ?? null,
          });
          const userId = await usersRepo(trx).insert({
            username: String(data.username),
            password_hash: passwordHash,
            role: 'enterprise',
            enterprise_id: enterpriseId,
            name: textOrNull(data.contact_name),
            must_change_password: false,
          });
          await recordAudit(trx, {
            type: 'account.create',
            actorId: options.actorId ?? userId,
            address: options.address ?? null,
            object: String(data.username),
            result: 'success',
            detail: {
              via: 'register',
              role: 'enterprise',
              user_id: userId,
              enterprise_id: enterpriseId,
              registered_by_agency_id: options.registeredByAgencyId ?? null,
            },
          });
          return { userId, enterpriseId };
        });
      } catch (err) {
        // Lost a race with another registration of the same code or username.
        const constraint = uniqueViolation(err);
        if (constraint === null) throw err;
        const field = constraint.includes('username') ? 'username' : 'credit_code';
        throw new ValidationFailed(
          { [field]: field === 'username' ? USERNAME_TAKEN : CREDIT_CODE_TAKEN },
          { ...body, password: '', password_confirm: '' },
        );
      }
    },

    /** 企业基本信息 of the user's enterprise, for its page. */
    async profile(user: Pick<EnterpriseUser, 'enterpriseId'>): Promise<EnterpriseProfile> {
      const e = await loadEnterprise(user);
      return {
        values: { ...e },
        creditCode: e.credit_code,
        regionCode: e.region_code,
        // Supervised from the offshore tree: its 海洋石油天然气作业者 box.
        offshoreOperator: (await orgRepo(knex).agencyById(e.supervising_agency_id))?.level === 'offshore',
        updatedAt: e.updated_at,
      };
    },

    /** Saves 企业基本信息. The credit code is the enterprise's identity and never changes here. */
    async updateProfile(
      user: Pick<EnterpriseUser, 'enterpriseId'>,
      body: Record<string, unknown>,
    ): Promise<void> {
      const current = await loadEnterprise(user);
      const { data, regionCode } = await validate(
        body,
        'profile',
        { credit_code: current.credit_code },
        async (d, errors) => {
          const ownerless = ownerlessError(d.ownerless, current.registered_by_agency_id !== null);
          if (ownerless && !errors.ownerless) errors.ownerless = ownerless;
        },
      );
      await knex.transaction(async (trx) => {
        const repo = enterprisesRepo(trx);
        if (!(await repo.lock(current.id))) throw new NotFound();
        await repo.update(current.id, enterpriseColumns(data, regionCode));
      });
    },
  };
}

export type RegistrationService = ReturnType<typeof registrationService>;
