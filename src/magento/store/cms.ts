/**
 * CMS pages and blocks as a 1.9 shop has them: the home, 404 and cookie pages on all store
 * views, an "about us" page per website (same identifier, different store views), with 1.9's
 * page layouts (root_template), and footer blocks per store.
 */
import type { GeneratorContext, StoreLayout } from './context.js';

export async function generateCms(ctx: GeneratorContext, layout: StoreLayout): Promise<void> {
  const { out, clock } = ctx;
  const at = clock.at(1);
  const pages: { identifier: string; title: string; template: string; stores: number[]; content: string }[] =
    [
      {
        identifier: 'home',
        title: 'Home page',
        template: 'two_columns_right',
        stores: [0],
        content: '<p>Welcome!</p>{{block type="catalog/product_new" template="catalog/product/new.phtml"}}',
      },
      {
        identifier: 'no-route',
        title: '404 Not Found 1',
        template: 'two_columns_right',
        stores: [0],
        content: '<h1>Whoops, our bad...</h1>',
      },
      {
        identifier: 'enable-cookies',
        title: 'Enable Cookies',
        template: 'one_column',
        stores: [0],
        content: '<p>Please enable cookies.</p>',
      },
      {
        identifier: 'about-us',
        title: 'About Us',
        template: 'two_columns_left',
        stores: layout.websites[0]?.storeIds ?? [],
        content: '<p>Since 2015.</p>',
      },
      {
        identifier: 'about-us',
        title: 'Über uns',
        template: 'three_columns',
        stores: [layout.overrideStoreId],
        content: '<p>Seit 2015 — für Sie da.</p>',
      },
      {
        identifier: 'customer-service',
        title: 'Customer Service',
        template: 'empty',
        stores: [0],
        content: '<p>Ask us.</p>',
      },
    ];
  for (const [i, p] of pages.entries()) {
    const pageId = await out.nextId('cms_page', 'page_id');
    await out.add('cms_page', {
      page_id: pageId,
      title: p.title,
      root_template: p.template,
      meta_keywords: null,
      meta_description: null,
      identifier: p.identifier,
      content_heading: p.title,
      content: p.content,
      creation_time: at,
      update_time: at,
      is_active: 1,
      sort_order: i,
      // 1.9's installer gives the home page a layout update (the new-products block's place).
      layout_update_xml:
        p.identifier === 'home'
          ? '<reference name="content"><block type="catalog/product_new" name="home.catalog.product.new" template="catalog/product/new.phtml"/></reference>'
          : null,
      custom_theme: null,
      custom_root_template: i === 0 ? 'one_column' : null,
      custom_layout_update_xml: null,
      custom_theme_from: null,
      custom_theme_to: null,
    });
    for (const store of p.stores) await out.add('cms_page_store', { page_id: pageId, store_id: store });
  }
  const blocks: { identifier: string; title: string; stores: number[]; content: string }[] = [
    {
      identifier: 'footer_links',
      title: 'Footer Links',
      stores: layout.websites[0]?.storeIds ?? [],
      content: '<ul><li><a href="{{store url="about-us"}}">About</a></li></ul>',
    },
    {
      identifier: 'footer_links',
      title: 'Footer Links DE',
      stores: [layout.overrideStoreId],
      content: '<ul><li>Über uns</li></ul>',
    },
    { identifier: 'cookie_notice', title: 'Cookie notice', stores: [0], content: '<p>We use cookies.</p>' },
  ];
  for (const b of blocks) {
    const blockId = await out.nextId('cms_block', 'block_id');
    await out.add('cms_block', {
      block_id: blockId,
      title: b.title,
      identifier: b.identifier,
      content: b.content,
      creation_time: at,
      update_time: at,
      is_active: 1,
    });
    for (const store of b.stores) await out.add('cms_block_store', { block_id: blockId, store_id: store });
  }
}
