import type { Lang } from './i18n.js';
import { Layout } from './layout.js';

interface MessagePageProps {
  lang: Lang;
  siteTitle: string;
  title: string;
  text: string;
  link?: { href: string; label: string } | undefined;
  langHref?: string | undefined;
}

/** A page that only tells something: thanks, declined, not found, not collecting, failures. */
export function MessagePage({ lang, siteTitle, title, text, link, langHref }: MessagePageProps) {
  return (
    <Layout lang={lang} title={`${title} – ${siteTitle}`} siteTitle={siteTitle} langHref={langHref}>
      <h1>{title}</h1>
      <p>{text}</p>
      {link && (
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      )}
    </Layout>
  );
}
