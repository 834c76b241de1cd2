/**
 * The shop's own attributes, as a merchant adds them in 1.9's admin: options for the
 * installer's `color` and `manufacturer`, a new select `size` and a text `material` (both
 * user-defined, in a "Clothing" attribute set copied from Default the way the admin copies a
 * set), option labels translated on the second website's store view, and a user-defined
 * customer attribute. Ids come after the installer's.
 */
import type { GeneratorContext, StoreLayout } from './context.js';

export interface ShopAttributes {
  /** Option ids of color and size, for configurable children. */
  colorOptions: number[];
  sizeOptions: number[];
  manufacturerOptions: number[];
  /** The "Clothing" product attribute set. */
  clothingSetId: number;
  defaultSetId: number;
}

export async function generateShopAttributes(
  ctx: GeneratorContext,
  layout: StoreLayout,
): Promise<ShopAttributes> {
  const { out, attributes } = ctx;
  const product = attributes.entityType('catalog_product');
  const customer = attributes.entityType('customer');
  const store = layout.overrideStoreId;

  const addOptions = async (attributeId: number, labels: [string, string][]) => {
    const ids: number[] = [];
    for (const [i, [label, translated]] of labels.entries()) {
      const optionId = await out.nextId('eav_attribute_option', 'option_id');
      await out.add('eav_attribute_option', {
        option_id: optionId,
        attribute_id: attributeId,
        sort_order: i,
      });
      await out.add('eav_attribute_option_value', { option_id: optionId, store_id: 0, value: label });
      if (translated !== label) {
        await out.add('eav_attribute_option_value', {
          option_id: optionId,
          store_id: store,
          value: translated,
        });
      }
      ids.push(optionId);
    }
    return ids;
  };

  const color = attributes.attribute('catalog_product', 'color');
  const existingColors = await out.select<{ option_id: number }>(
    'SELECT option_id FROM {schema}.eav_attribute_option WHERE attribute_id = ? ORDER BY option_id',
    [color.id],
  );
  const colorOptions = [
    ...existingColors.map((o) => o.option_id),
    ...(await addOptions(color.id, [
      ['Red', 'Rot'],
      ['Blue', 'Blau'],
      ['Black', 'Schwarz'],
    ])),
  ];
  const manufacturer = attributes.attribute('catalog_product', 'manufacturer');
  const manufacturerOptions = await addOptions(manufacturer.id, [
    ['Acme', 'Acme'],
    ['Globex', 'Globex'],
    ['Initech', 'Initech'],
  ]);

  const newAttribute = async (
    entityTypeId: number,
    code: string,
    backendType: string,
    input: string,
    label: string,
    sourceModel: string | null,
  ) => {
    const id = await out.nextId('eav_attribute', 'attribute_id');
    await out.add('eav_attribute', {
      attribute_id: id,
      entity_type_id: entityTypeId,
      attribute_code: code,
      attribute_model: null,
      backend_model: null,
      backend_type: backendType,
      backend_table: null,
      frontend_model: null,
      frontend_input: input,
      frontend_label: label,
      frontend_class: null,
      source_model: sourceModel,
      is_required: 0,
      is_user_defined: 1,
      default_value: '',
      is_unique: 0,
      note: null,
    });
    return id;
  };
  const catalogProperties = (id: number, global: number, configurable: number, applyTo: string | null) =>
    out.add('catalog_eav_attribute', {
      attribute_id: id,
      frontend_input_renderer: null,
      is_global: global,
      is_visible: 1,
      is_searchable: 1,
      is_filterable: configurable,
      is_comparable: 1,
      is_visible_on_front: 1,
      is_html_allowed_on_front: 0,
      is_used_for_price_rules: 0,
      is_filterable_in_search: configurable,
      used_in_product_listing: 1,
      used_for_sort_by: 0,
      is_configurable: configurable,
      apply_to: applyTo,
      is_visible_in_advanced_search: 1,
      position: 0,
      is_wysiwyg_enabled: 0,
      is_used_for_promo_rules: 1,
    });

  const sizeId = await newAttribute(
    product.id,
    'size',
    'int',
    'select',
    'Size',
    'eav/entity_attribute_source_table',
  );
  await catalogProperties(sizeId, 1, 1, 'simple');
  await out.add('eav_attribute_label', { attribute_id: sizeId, store_id: store, value: 'Größe' });
  const sizeOptions = await addOptions(sizeId, [
    ['S', 'S'],
    ['M', 'M'],
    ['L', 'L'],
    ['XL', 'XL'],
  ]);
  const materialId = await newAttribute(product.id, 'material', 'varchar', 'text', 'Material', null);
  await catalogProperties(materialId, 0, 0, null);
  await out.add('eav_attribute_label', { attribute_id: materialId, store_id: store, value: 'Stoff' });

  // A customer attribute of the shop's own, on the forms 1.9's admin puts it on.
  const loyaltyId = await newAttribute(
    customer.id,
    'loyalty_number',
    'varchar',
    'text',
    'Loyalty number',
    null,
  );
  await out.add('customer_eav_attribute', {
    attribute_id: loyaltyId,
    is_visible: 1,
    input_filter: null,
    multiline_count: 1,
    validate_rules: 'a:1:{s:15:"max_text_length";i:32;}',
    is_system: 0,
    sort_order: 200,
    data_model: null,
  });
  for (const form of ['adminhtml_customer', 'customer_account_edit']) {
    await out.add('customer_form_attribute', { form_code: form, attribute_id: loyaltyId });
  }
  const customerGroup = await groupOf(ctx, customer.defaultSetId, 'General');
  await out.add('eav_entity_attribute', {
    entity_type_id: customer.id,
    attribute_set_id: customer.defaultSetId,
    attribute_group_id: customerGroup,
    attribute_id: loyaltyId,
    sort_order: 200,
  });

  // "Clothing": a copy of the Default product set (its groups and attributes) plus size and material.
  const clothingSetId = await out.nextId('eav_attribute_set', 'attribute_set_id');
  await out.add('eav_attribute_set', {
    attribute_set_id: clothingSetId,
    entity_type_id: product.id,
    attribute_set_name: 'Clothing',
    sort_order: 0,
  });
  const groups = await out.select<{
    attribute_group_id: number;
    attribute_group_name: string;
    sort_order: number;
    default_id: number;
  }>(
    'SELECT attribute_group_id, attribute_group_name, sort_order, default_id FROM {schema}.eav_attribute_group WHERE attribute_set_id = ? ORDER BY attribute_group_id',
    [product.defaultSetId],
  );
  const groupCopy = new Map<number, number>();
  for (const g of groups) {
    const id = await out.nextId('eav_attribute_group', 'attribute_group_id');
    groupCopy.set(g.attribute_group_id, id);
    await out.add('eav_attribute_group', {
      attribute_group_id: id,
      attribute_set_id: clothingSetId,
      attribute_group_name: g.attribute_group_name,
      sort_order: g.sort_order,
      default_id: g.default_id,
    });
  }
  const members = await out.select<{ attribute_group_id: number; attribute_id: number; sort_order: number }>(
    'SELECT attribute_group_id, attribute_id, sort_order FROM {schema}.eav_entity_attribute WHERE attribute_set_id = ? ORDER BY entity_attribute_id',
    [product.defaultSetId],
  );
  for (const m of members) {
    await out.add('eav_entity_attribute', {
      entity_type_id: product.id,
      attribute_set_id: clothingSetId,
      attribute_group_id: groupCopy.get(m.attribute_group_id),
      attribute_id: m.attribute_id,
      sort_order: m.sort_order,
    });
  }
  const generalGroup = await groupOf(ctx, product.defaultSetId, 'General');
  const inDefault = new Set(members.map((m) => m.attribute_id));
  for (const [i, id] of [sizeId, materialId, manufacturer.id].entries()) {
    if (inDefault.has(id)) continue;
    for (const [setId, groupId] of [
      [product.defaultSetId, generalGroup],
      [clothingSetId, groupCopy.get(generalGroup)],
    ]) {
      await out.add('eav_entity_attribute', {
        entity_type_id: product.id,
        attribute_set_id: setId,
        attribute_group_id: groupId,
        attribute_id: id,
        sort_order: 50 + i,
      });
    }
  }
  await out.flush();
  await attributes.reload(out);
  return {
    colorOptions,
    sizeOptions,
    manufacturerOptions,
    clothingSetId,
    defaultSetId: product.defaultSetId,
  };
}

async function groupOf(ctx: GeneratorContext, setId: number, name: string): Promise<number> {
  const rows = await ctx.out.select<{ id: number }>(
    'SELECT attribute_group_id AS id FROM {schema}.eav_attribute_group WHERE attribute_set_id = ? AND attribute_group_name = ?',
    [setId, name],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error(`store generator: attribute set ${setId} has no group ${name}`);
  return id;
}
