/**
 * Customer groups and customers with addresses, as 1.9's account and address saves write
 * them: the entity rows (attribute set 0, as 1.9 leaves it), EAV values in the value tables
 * by backend type (names, password hash, gender, date of birth, default billing/shipping,
 * the shop's own loyalty_number), addresses with a multi-line street and a region id from
 * the install's directory.
 */
import { createHash } from 'node:crypto';
import type { GeneratorContext, StoreLayout } from './context.js';

export interface GeneratedAddress {
  id: number;
  firstname: string;
  lastname: string;
  street: string;
  city: string;
  regionId: number | null;
  region: string;
  postcode: string;
  countryId: string;
  telephone: string;
  company: string | null;
}

export interface GeneratedCustomer {
  id: number;
  email: string;
  firstname: string;
  lastname: string;
  groupId: number;
  websiteIndex: number;
  storeId: number;
  addresses: GeneratedAddress[];
}

const FIRST = ['Anna', 'Jörg', 'Maria', 'John', 'Zoë', 'Pierre', 'Li', 'Fatima', 'Olek', 'Sam'];
const LAST = ['Smith', 'Müller', 'García', 'Nowak', 'Dubois', "O'Brien", 'Kim', 'Rossi', 'Jansen', 'Brown'];
const CITIES = ['Springfield', 'Berlin', 'Lyon', 'Kraków', 'Austin', 'São Paulo'];

export async function generateCustomers(
  ctx: GeneratorContext,
  layout: StoreLayout,
  count: number,
): Promise<GeneratedCustomer[]> {
  const { out, rng, clock, attributes } = ctx;
  const customerType = attributes.entityType('customer');
  const addressType = attributes.entityType('customer_address');

  // The shop's own group, after the installer's four.
  const vipGroupId = await out.nextId('customer_group', 'customer_group_id');
  await out.add('customer_group', {
    customer_group_id: vipGroupId,
    customer_group_code: 'VIP',
    tax_class_id: 3,
  });
  const groups = [1, 1, 1, 2, 3, vipGroupId];

  const regions = await out.select<{ region_id: number; code: string; default_name: string }>(
    "SELECT region_id, code, default_name FROM {schema}.directory_country_region WHERE country_id = 'US' ORDER BY region_id",
  );
  const genders = await out.select<{ option_id: number }>(
    'SELECT option_id FROM {schema}.eav_attribute_option WHERE attribute_id = ? ORDER BY option_id',
    [attributes.attribute('customer', 'gender').id],
  );
  const storeNames = await out.select<{ store_id: number; name: string }>(
    'SELECT store_id, name FROM {schema}.core_store',
  );
  const storeName = new Map(storeNames.map((s) => [s.store_id, s.name]));

  const customers: GeneratedCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const id = await out.nextId('customer_entity', 'entity_id');
    const websiteIndex = i % 5 === 4 ? 1 : 0;
    const website = layout.websites[websiteIndex];
    if (!website) throw new Error('store generator: missing website');
    const storeId = website.storeIds[0] as number;
    const firstname = rng.pick(FIRST);
    const lastname = rng.pick(LAST);
    const email = `customer${id}@example.com`;
    const groupId = rng.pick(groups);
    const created = clock.at(rng.int(0, 300));
    await out.add('customer_entity', {
      entity_id: id,
      entity_type_id: customerType.id,
      attribute_set_id: 0,
      website_id: website.websiteId,
      email,
      group_id: groupId,
      increment_id: null,
      store_id: storeId,
      created_at: created,
      updated_at: clock.after(created, rng.int(0, 86_400 * 60)),
      is_active: 1,
      disable_auto_group_change: 0,
    });
    const v = (code: string, value: unknown) => ctx.eav('customer', id, code, value);
    await v('firstname', firstname);
    await v('lastname', lastname);
    await v('created_in', storeName.get(storeId) ?? 'Default Store View');
    // 1.9.3's hash: md5(salt . password) . ':' . salt, with a 32-character salt.
    const salt = createHash('md5').update(`salt${id}`).digest('hex');
    await v('password_hash', `${createHash('md5').update(`${salt}password${id}`).digest('hex')}:${salt}`);
    if (rng.chance(0.6) && genders.length) await v('gender', rng.pick(genders).option_id);
    if (rng.chance(0.5)) await v('dob', `19${rng.int(50, 99)}-0${rng.int(1, 9)}-1${rng.int(0, 9)} 00:00:00`);
    if (rng.chance(0.2)) await v('middlename', 'J.');
    if (rng.chance(0.1)) await v('taxvat', `DE${rng.int(100000000, 999999999)}`);
    if (rng.chance(0.3)) await v('loyalty_number', `LY-${id}`);

    const addresses: GeneratedAddress[] = [];
    const addressCount = rng.chance(0.15) ? 0 : rng.int(1, 2);
    for (let a = 0; a < addressCount; a++) {
      const addressId = await out.nextId('customer_address_entity', 'entity_id');
      const region = regions.length ? rng.pick(regions) : undefined;
      const address: GeneratedAddress = {
        id: addressId,
        firstname,
        lastname,
        street: `${rng.int(1, 999)} Main Street\nApt ${rng.int(1, 40)}`,
        city: rng.pick(CITIES),
        regionId: region?.region_id ?? null,
        region: region?.default_name ?? 'Berlin',
        postcode: String(rng.int(10000, 99999)),
        countryId: region ? 'US' : 'DE',
        telephone: `+1 555 ${rng.int(1000, 9999)}`,
        company: rng.chance(0.3) ? 'Acme & Söhne GmbH' : null,
      };
      await out.add('customer_address_entity', {
        entity_id: addressId,
        entity_type_id: addressType.id,
        attribute_set_id: 0,
        increment_id: null,
        parent_id: id,
        created_at: created,
        updated_at: created,
        is_active: 1,
      });
      const av = (code: string, value: unknown) => ctx.eav('customer_address', addressId, code, value);
      await av('firstname', address.firstname);
      await av('lastname', address.lastname);
      await av('street', address.street);
      await av('city', address.city);
      await av('country_id', address.countryId);
      await av('region', address.region);
      await av('region_id', address.regionId);
      await av('postcode', address.postcode);
      await av('telephone', address.telephone);
      await av('company', address.company);
      addresses.push(address);
    }
    if (addresses[0]) await v('default_billing', addresses[0].id);
    if (addresses.length) await v('default_shipping', (addresses[1] ?? addresses[0])?.id);
    customers.push({ id, email, firstname, lastname, groupId, websiteIndex, storeId, addresses });
  }
  return customers;
}
