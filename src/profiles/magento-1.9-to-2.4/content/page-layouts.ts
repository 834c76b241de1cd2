/**
 * 1.9's page templates (cms_page.root_template, custom_root_template) as 2.4's page layouts.
 * A template 2.4 does not know (a theme's own) becomes 1column, as the Magento tool does; the
 * step's operator note lists none of those because 2.4 renders 1column without complaint.
 */
import { convert } from '../../../handlers/convert.js';

export const PAGE_LAYOUTS: Readonly<Record<string, string>> = {
  empty: 'empty',
  one_column: '1column',
  two_columns_left: '2columns-left',
  two_columns_right: '2columns-right',
  three_columns: '3columns',
};

/** page_layout and custom_root_template: every 1.9 template to a 2.4 layout, unknown ones to 1column; NULL stays NULL. */
export const pageLayout = convert.create({ map: PAGE_LAYOUTS, default: '1column' });
