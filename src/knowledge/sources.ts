/**
 * Every publication a number in the knowledge base comes from. `external: true` marks figures
 * from outside the primary paper (docs/clinical-logic.md section 5), which the card must say.
 */
export interface Source {
  readonly id: string;
  /** Short label for a card or a table cell. */
  readonly label: string;
  /** Full citation. */
  readonly citation: string;
  readonly url?: string;
  readonly doi?: string;
  readonly pmid?: string;
  readonly external: boolean;
  /** Anything a reader must know before trusting the figure. */
  readonly note?: string;
}

export const SOURCES = {
  zhao2026: {
    id: 'zhao2026',
    label: 'Zhao et al., Front. Med. 2026',
    citation:
      'Zhao P, Meng X, Sun M, Zhong Y, Zhu S. Diagnostic value of computed tomography plus magnetic resonance imaging in assessing the benign and malignant nature of vertebral compression fractures. Front. Med. 2026;13:1759764.',
    doi: '10.3389/fmed.2026.1759764',
    url: 'https://doi.org/10.3389/fmed.2026.1759764',
    external: false,
  },
  wonglaksanapimon2012: {
    id: 'wonglaksanapimon2012',
    label: 'Wonglaksanapimon et al., J Med Assoc Thai 2012',
    citation:
      'Wonglaksanapimon S, Chawalparit O, Khumpunnip S, Tritrakarn SO, Chiewvit P, Charnchaowanish P. Vertebral body compression fracture: discriminating benign from malignant causes by diffusion-weighted MR imaging and apparent diffusion coefficient value. J Med Assoc Thai. 2012;95(1):81-7. (Reference 22 of the primary paper.)',
    pmid: '22379746',
    url: 'https://pubmed.ncbi.nlm.nih.gov/22379746/',
    external: true,
    // Checked against the PubMed abstract: "A total of 39 vertebral fractures; 7 malignant
    // compression fractures and 32 benign"; accuracy 89.7%, sensitivity 85.7%, specificity 90.6%
    // at an ADC threshold of 0.89. 6/7, 29/32 and 35/39 reproduce the three percentages.
    note: 'Small series: 22 patients, 39 fractures of which 7 malignant (sensitivity 6/7, specificity 29/32). The LR for ADC below the cut-off rests on 7 malignant fractures and 3 benign ones below the cut-off, so it is imprecise; a site with its own protocol should set its own rule.',
  },
  luo2016: {
    id: 'luo2016',
    label: 'Luo et al., Br J Radiol 2016',
    citation:
      'Luo Z et al. Br J Radiol. 2016;89:20150384 ("up to one-third of VCFs in patients with known malignancy are benign", quoting earlier series).',
    doi: '10.1259/bjr.20150384',
    url: 'https://doi.org/10.1259/bjr.20150384',
    external: true,
  },
  baur1998: {
    id: 'baur1998',
    label: 'Baur et al., Radiology 1998',
    citation:
      'Baur A et al. Radiology. 1998;207:349. Malignant fractures hyperintense, benign hypo- or isointense on DWI (the reverse of the primary paper, Table 4).',
    pmid: '9577479',
    url: 'https://pubmed.ncbi.nlm.nih.gov/9577479/',
    external: true,
  },
  suh2018: {
    id: 'suh2018',
    label: 'Suh et al., Eur Radiol 2018 (meta-analysis)',
    citation:
      'Suh CH et al. Eur Radiol. 2018;28(7):2890-2902 (meta-analysis, compression fractures).',
    external: true,
    note: 'Pooled sensitivity 0.92 and specificity 0.91 with no single cut-off: not usable as a default rule.',
  },
  park2016: {
    id: 'park2016',
    label: 'Park et al., Korean J Radiol 2016',
    citation:
      'Park et al. Korean J Radiol. 2016 (b 0/400/1000 s/mm2, ADC cut-off 1.14 x10^-3 mm2/s).',
    pmid: '27587948',
    url: 'https://pubmed.ncbi.nlm.nih.gov/27587948/',
    external: true,
  },
  geith2014: {
    id: 'geith2014',
    label: 'Geith et al., AJR 2014',
    citation:
      'Geith T et al. AJR Am J Roentgenol. 2014;203:582 (single-shot TSE DWI, ADC cut-off 1.7 x10^-3 mm2/s).',
    pmid: '25148160',
    url: 'https://pubmed.ncbi.nlm.nih.gov/25148160/',
    external: true,
  },
  unsuspectedMalignancyPreprint: {
    id: 'unsuspectedMalignancyPreprint',
    label: 'Pooled unsuspected malignancy in presumed osteoporotic VCF (preprint)',
    citation:
      'About 8% unsuspected malignancy among presumed osteoporotic VCFs, pooled estimate, preprint doi:10.21203/rs.3.rs-6906795 (not peer reviewed).',
    doi: '10.21203/rs.3.rs-6906795',
    external: true,
    note: 'Not peer reviewed; mentioned for sites that set their own pre-test probability, never a default.',
  },
  holz2000: {
    id: 'holz2000',
    label: 'Holz et al., Phys Chem Chem Phys 2000',
    citation:
      'Holz M, Heil SR, Sacco A. Temperature-dependent self-diffusion coefficients of water and six selected molecular liquids for calibration in accurate 1H NMR PFG measurements. Phys Chem Chem Phys. 2000;2(20):4740-4742.',
    doi: '10.1039/B005319H',
    url: 'https://doi.org/10.1039/B005319H',
    external: true,
    note: 'Physics, not a clinical study: the self-diffusion coefficient of pure water, an upper bound for any tissue ADC.',
  },
  jaeschke1994: {
    id: 'jaeschke1994',
    label: "Jaeschke et al., JAMA 1994 (Users' Guides)",
    citation:
      "Jaeschke R, Guyatt GH, Sackett DL. Users' guides to the medical literature. III. How to use an article about a diagnostic test. B. What are the results and will they help me in caring for my patients? JAMA. 1994;271(9):703-707.",
    pmid: '8309035',
    external: true,
  },
  clinicalSpec: {
    id: 'clinicalSpec',
    label: 'vcf-cds clinical specification',
    citation:
      'vcf-cds clinical logic (docs/clinical-logic.md), the project decision rules built on the primary paper (sections 1, 3 and 4).',
    external: false,
    note: 'A project decision, not a published figure; each such value is a setting.',
  },
} as const satisfies Record<string, Source>;

export type SourceId = keyof typeof SOURCES;
