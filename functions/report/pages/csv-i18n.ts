import type { Lang } from '../../respond/pages/i18n.js';

/** The lead's CSV: column headings and words, German first (`?lang=en` for English). */
export const csvUi: Record<
  Lang,
  {
    columns: {
      section: string;
      indicator: string;
      id: string;
      wave: string;
      comparedWith: string;
      group: string;
      city: string;
      unit: string;
      n: string;
      nEff: string;
      deff: string;
      estimate: string;
      ciLow: string;
      ciHigh: string;
      delta: string;
      deltaLow: string;
      deltaHigh: string;
      p: string;
      pAdjusted: string;
      significant: string;
      reading: string;
      target: string;
      note: string;
    };
    sections: Record<'selection' | 'summary' | 'target' | 'estimate' | 'change' | 'city' | 'exposure' | 'gap', string>;
    groups: Record<'aware' | 'notAware' | 'awareMinusNot' | 'self' | 'outside' | 'selfMinusOutside', string>;
    /** The unit of a value (a change's unit is the verdict's). */
    units: Record<'share' | 'index' | 'nps' | 'grade' | 'scale', string>;
    yes: string;
    no: string;
    oneSided: string;
    allCities: string;
  }
> = {
  de: {
    columns: {
      section: 'Bereich',
      indicator: 'Indikator',
      id: 'Kennung',
      wave: 'Welle',
      comparedWith: 'verglichen mit',
      group: 'Gruppe',
      city: 'Ort',
      unit: 'Einheit',
      n: 'n',
      nEff: 'n (effektiv)',
      deff: 'Designeffekt',
      estimate: 'Wert',
      ciLow: 'Intervall von',
      ciHigh: 'Intervall bis',
      delta: 'Veränderung/Unterschied',
      deltaLow: 'Intervall der Veränderung von',
      deltaHigh: 'Intervall der Veränderung bis',
      p: 'p',
      pAdjusted: 'p (korrigiert)',
      significant: 'signifikant',
      reading: 'Aussage',
      target: 'Ziel',
      note: 'Hinweis',
    },
    sections: {
      selection: 'Auswahl',
      summary: 'Auf einen Blick',
      target: 'Ziel',
      estimate: 'Wert je Welle',
      change: 'Veränderung',
      city: 'nach Ort',
      exposure: 'Kampagne gesehen oder nicht',
      gap: 'Selbstbild und Fremdbild',
    },
    groups: {
      aware: 'kennt die Kampagne',
      notAware: 'kennt sie nicht',
      awareMinusNot: 'Unterschied (kennt minus kennt nicht)',
      self: 'Selbstbild (Betriebe)',
      outside: 'Fremdbild (Bevölkerung)',
      selfMinusOutside: 'Unterschied (Selbstbild minus Fremdbild)',
    },
    units: { share: '%', index: 'Indexpunkte', nps: 'NPS-Punkte', grade: 'Note', scale: 'Skalenwert' },
    yes: 'ja',
    no: 'nein',
    oneSided: 'einseitig',
    allCities: 'alle Orte',
  },
  en: {
    columns: {
      section: 'section',
      indicator: 'indicator',
      id: 'id',
      wave: 'wave',
      comparedWith: 'compared with',
      group: 'group',
      city: 'area',
      unit: 'unit',
      n: 'n',
      nEff: 'n (effective)',
      deff: 'design effect',
      estimate: 'value',
      ciLow: 'interval from',
      ciHigh: 'interval to',
      delta: 'change/difference',
      deltaLow: 'interval of the change from',
      deltaHigh: 'interval of the change to',
      p: 'p',
      pAdjusted: 'p (adjusted)',
      significant: 'significant',
      reading: 'reading',
      target: 'target',
      note: 'note',
    },
    sections: {
      selection: 'Selection',
      summary: 'At a glance',
      target: 'Target',
      estimate: 'Value per wave',
      change: 'Change',
      city: 'By area',
      exposure: 'Saw the campaign or not',
      gap: 'Self-image and outside image',
    },
    groups: {
      aware: 'knows the campaign',
      notAware: 'does not',
      awareMinusNot: 'difference (knows minus does not)',
      self: 'self-image (businesses)',
      outside: 'outside image (public)',
      selfMinusOutside: 'difference (self minus outside)',
    },
    units: { share: '%', index: 'index points', nps: 'NPS points', grade: 'grade', scale: 'scale value' },
    yes: 'yes',
    no: 'no',
    oneSided: 'one-sided',
    allCities: 'all areas',
  },
};
