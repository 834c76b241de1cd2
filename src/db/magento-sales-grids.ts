/**
 * The invoice, shipment and credit memo grids as 2.4's grid indexer builds them (Magento_Sales
 * di.xml: the `sales_invoice_grid`, ShipmentGridAggregator and CreditmemoGridAggregator
 * columns), from the 1.9 rows that became sales_invoice, _shipment, _creditmemo and their
 * order, addresses and payment: the admin's lists show migrated documents without a reindex.
 * Names and addresses are joined as the order grid joins them (orderGridSelect). store_id and
 * customer_group_id are still 1.9's here; the steps map them like the documents' own.
 */
import { quoteIdentifier } from './identifiers.js';

export type GridDocument = 'invoice' | 'shipment' | 'creditmemo';

const address = (a: string) => `CONCAT_WS(',', ${a}.street, ${a}.city, ${a}.region, ${a}.postcode)`;
const name = (first: string, last: string) =>
  `TRIM(CONCAT_WS(' ', IF(${first} <> '', ${first}, NULL), IF(${last} <> '', ${last}, NULL)))`;

/** The grid row of each 1.9 document of one kind, keyed by the document's entity_id. */
export function documentGridSelect(prefix: string, document: GridDocument): string {
  const t = (table: string) => quoteIdentifier(`${prefix}${table}`);
  const customerName = name('o.customer_firstname', 'o.customer_lastname');
  const joins = `JOIN ${t('sales_flat_order')} o ON o.entity_id = d.order_id
    LEFT JOIN ${t('sales_flat_order_address')} b ON b.entity_id = d.billing_address_id
    LEFT JOIN ${t('sales_flat_order_address')} s ON s.entity_id = d.shipping_address_id
    LEFT JOIN ${t('sales_flat_order_payment')} p ON p.parent_id = o.entity_id`;
  const common = `d.entity_id, d.increment_id, d.store_id, d.order_id,
      o.increment_id AS order_increment_id, o.created_at AS order_created_at,
      ${name('b.firstname', 'b.lastname')} AS billing_name,
      ${address('b')} AS billing_address, ${address('s')} AS shipping_address,
      o.customer_email, o.customer_group_id, p.method AS payment_method,
      o.shipping_description AS shipping_information, d.created_at, d.updated_at`;
  switch (document) {
    case 'invoice':
      return `SELECT ${common}, d.state, o.store_name, ${customerName} AS customer_name,
      d.store_currency_code, d.order_currency_code, d.base_currency_code, d.global_currency_code,
      o.base_subtotal AS subtotal, o.base_shipping_amount AS shipping_and_handling,
      d.grand_total, d.base_grand_total
    FROM ${t('sales_flat_invoice')} d ${joins}`;
    case 'shipment':
      return `SELECT ${common}, COALESCE(${customerName}, '') AS customer_name, d.total_qty,
      d.shipment_status, o.status AS order_status, ${name('s.firstname', 's.lastname')} AS shipping_name
    FROM ${t('sales_flat_shipment')} d ${joins}`;
    case 'creditmemo':
      return `SELECT ${common}, COALESCE(${customerName}, '') AS customer_name, d.state,
      d.base_grand_total, o.status AS order_status, d.subtotal,
      d.shipping_amount AS shipping_and_handling, d.adjustment_positive, d.adjustment_negative,
      o.base_grand_total AS order_base_grand_total
    FROM ${t('sales_flat_creditmemo')} d ${joins}`;
    default:
      return document satisfies never;
  }
}
