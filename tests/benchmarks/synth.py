"""Deterministic synthetic digests in every format papertray reads, for benchmarks and tests.

Real digests cannot be committed and are too few to measure speed on, so this module invents
papers (titles, abstracts and names combined at random from a built-in vocabulary) and writes
them in the exact *shape* of each real format: `hf-text`, `hf-json`, `arxiv-email`,
`arxiv-atom` and `arxiv-rss`. The same seed always gives the same bytes.

Every distinct paper gets a unique, well-formed arXiv id (`YYMM.NNNNN`, the month of its
publication); a small fraction of papers reappear on a later day (as arXiv replacements, or
again on the HF page) so de-duplication has work to do. `build_corpus` returns the ground truth
(what each file holds, in file order) that round-trip tests compare a parser's output with.

Usage: python tests/benchmarks/synth.py OUT_DIR --format hf-text --days 365 --per-day 82 --seed 1
       (or --total 30000 to spread an exact count; --format mixed rotates the five formats)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Sequence
from xml.sax.saxutils import escape as _xml_escape

FORMATS = ("hf-text", "hf-json", "arxiv-email", "arxiv-atom", "arxiv-rss")
EXTENSIONS = {"hf-text": ".txt", "hf-json": ".json", "arxiv-email": ".txt", "arxiv-atom": ".xml", "arxiv-rss": ".xml"}

# --------------------------------------------------------------------------------------------
# Vocabulary (invented combinations of common technical words; nothing copied from real papers)

_NOUNS = """
model models network networks transformer transformers attention representation representations
embedding embeddings gradient gradients optimizer optimization objective loss regularization
benchmark benchmarks dataset datasets corpus tokenizer token tokens encoder decoder layer layers
kernel kernels manifold manifolds tensor tensors matrix matrices eigenvalue spectrum operator
operators lattice field fields boson fermion qubit qubits entanglement decoherence hamiltonian
symmetry renormalization topology graph graphs hypergraph vertex edge edges policy policies reward
agent agents environment planner planning reasoning inference posterior prior likelihood estimator
sampler sampling diffusion flow flows score distribution distributions divergence entropy
information channel capacity code codes compression quantization pruning distillation retrieval
memory cache latency throughput hardware accelerator compiler scheduler pipeline workload cluster
simulation solver equation equations dynamics trajectory trajectories controller stability
robustness uncertainty calibration fairness privacy alignment preference feedback instruction
prompt prompts context window sequence sequences image images video videos audio speech language
languages translation segmentation detection tracking reconstruction rendering geometry mesh
point cloud scene scenes molecule molecules protein proteins genome cell cells galaxy galaxies
halo cosmology supernova spacetime horizon curvature metric functional theorem conjecture bound
bounds inequality polynomial group groups algebra module sheaf category measure process martingale
walk percolation phase transition spin glass condensate superconductor magnon phonon photon laser
resonator cavity waveguide sensor signal noise filter estimate estimates framework method approach
architecture mechanism module routing expert experts mixture ensemble baseline evaluation analysis
"""
_ADJS = """
adaptive robust scalable efficient sparse dense stochastic deterministic hierarchical recursive
causal contrastive generative discriminative variational bayesian probabilistic geometric
topological spectral quantum classical relativistic nonlinear linear convex nonconvex
differentiable discrete continuous latent implicit explicit neural symbolic hybrid multimodal
multilingual federated decentralized distributed parallel asynchronous online offline streaming
lightweight compact universal optimal approximate exact invariant equivariant unsupervised
self-supervised semi-supervised supervised interpretable controllable verifiable certified
long-context low-rank high-dimensional multi-scale cross-lingual zero-shot few-shot open-vocabulary
fine-grained coarse-grained physics-informed data-driven training-free memory-efficient
"""
_VERBS = """
improves reduces enables outperforms captures preserves achieves recovers learns predicts
estimates generalizes scales transfers aligns compresses accelerates stabilizes regularizes
characterizes bounds approximates decomposes factorizes models encodes decodes retrieves
"""
_FILLER = """
the the the of of of and and and in in to to for with on by from across under over via while
which that this these our its their a an both each several many most two three more less than
as well between within without through toward against into among per
"""
_OPENERS = (
    "We propose", "We introduce", "In this work, we study", "We present", "This paper develops",
    "Our analysis shows that", "Experiments on", "We further show that", "Unlike prior work,",
    "To address this limitation,", "Empirically,", "Theoretically, we prove that", "We find that",
    "Building on", "In particular,", "Moreover,", "Finally, we demonstrate that", "Recent work on",
    "Despite progress in", "We evaluate", "Extensive experiments show that", "As a result,",
)
_EXTRAS = (
    "12.4%", "3.1x", "1,024", "(i)", "(ii)", "$\\mathcal{O}(n \\log n)$", "$\\epsilon$-optimal",
    "\\textit{a priori}", "p < 0.05", "R&D", "up to 40%", "0.87", "k-NN", "state-of-the-art",
    "$L^2$", "2D", "3D", "O(1)", "GPU", "LLM", "ViT", "SGD", "PDE", "MCMC", "CMB", "QCD",
)
_PREPS = ("for", "with", "via", "in", "under", "beyond", "from", "through", "of")
_ACR_PARTS = (
    "Neo", "Graph", "Flow", "Quant", "Sparse", "Meta", "Omni", "Hyper", "Lumen", "Vox", "Tensor",
    "Deep", "Auto", "Spec", "Kern", "Fuse", "Mamba", "Orbit", "Pixel", "Cortex", "Nova", "Atlas",
    "Echo", "Prism", "Rho", "Sigma", "Delta", "Zeta", "Lattice", "Qubit", "Drift", "Scope",
)
_FIRST = """
Alice Bruno Chen Daria Emeka Farah Giulia Hiroshi Ines Jonas Kavya Lars Mei Nadia Omar Priya
Quentin Rosa Sanjay Tomasz Ugo Valentina Wei Ximena Yusuf Zhen Amara Björn Camille Dmitri Elif
Fatima Gabriel Hana Ivan Jia Kofi Leila Mateo Noor Olga Pablo Rina Stefan Tariq Uma Viktor Wen
Yara Zoë José Łukasz Søren Ngozi Arjun Beatriz Chidi Eun-ji Haruto Kai Lucía Minh Sofia
"""
_LAST = """
Abara Becker Castillo Dubois Eriksen Fischer García Haddad Ivanova Jensen Kowalski Li Moreau
Nakamura Okafor Petrov Quispe Rossi Schmidt Tanaka Ueda Varga Wang Xu Yamamoto Zhang Almeida
Bauer Chaudhary Dimitrov Esposito Ferreira Gupta Horvat Iqbal Jovanović Kim Lindqvist Müller
Nguyen Ortiz Park Qureshi Romano Singh Takahashi Usman Vogel Weber Yilmaz Zhou Acheampong
Bianchi Costa Demir Edwards Fontaine Ghosh Hansen Ito Kaur Lopez Mehta Novak Olsen Patel Reyes
"""
_ORGS = (
    ("tinylab", "TinyLab"), ("quanta-ai", "Quanta AI"), ("northfield", "Northfield University"),
    ("openmind", "OpenMind Research"), ("helix", "Helix Labs"), ("orbital", "Orbital Systems"),
)
_VENUES = ("NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "EMNLP", "AAAI", "COLT", "STOC", "PRL")
_SUBSCRIBED = ("cs.AI", "cs.LG", "cs.CL")
_SUBSCRIBED_NAMES = ("Artificial Intelligence", "Machine Learning", "Computation and Language")
_OTHER_CATS = (
    "cs.CV", "cs.RO", "cs.IR", "cs.SE", "cs.CR", "cs.DC", "cs.NE", "stat.ML", "stat.ME", "math.OC",
    "math.PR", "math.ST", "math.AG", "quant-ph", "hep-th", "gr-qc", "cond-mat.stat-mech",
    "cond-mat.dis-nn", "astro-ph.CO", "astro-ph.GA", "physics.comp-ph", "eess.SP", "q-bio.NC",
)

NOUNS = tuple(_NOUNS.split())
ADJS = tuple(_ADJS.split())
VERBS = tuple(_VERBS.split())
FILLER = tuple(_FILLER.split())
# Abstract words: filler dominates as in real prose, with technical words between.
_ABSTRACT_POOL = FILLER * 3 + NOUNS * 2 + ADJS + VERBS
FIRST_NAMES = tuple(_FIRST.split())
LAST_NAMES = tuple(_LAST.split())
VOCABULARY = tuple(sorted(set(NOUNS + ADJS + VERBS + FILLER)))

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# --------------------------------------------------------------------------------------------
# The ground truth


@dataclass(slots=True, eq=False)
class SynthPaper:
    """One invented paper; the same object is reused when it reappears on a later day."""

    id: str
    title: str
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    categories: tuple[str, ...]  # primary first
    published: datetime
    comments: str | None
    doi: str | None
    upvotes: int
    num_comments: int
    github: str | None
    project: str | None
    organization: tuple[str, str] | None  # (avatar handle, name) shown instead of an author count
    kb: int
    hf_byline: bool  # the HF page shows a byline block (count or organisation, date, upvotes)
    version: int = 1  # latest version announced so far

    @property
    def abstract(self) -> str:
        """The abstract as one string (paragraphs joined by a space, as the HF page shows it)."""
        return " ".join(self.paragraphs)


@dataclass(slots=True, eq=False)
class Entry:
    """A paper's appearance in one day's digest."""

    paper: SynthPaper
    kind: str  # "new", "cross" or "replaced"
    cross: bool  # a replaced entry can also be a cross-list
    version: int
    when: datetime  # submission (new/cross) or replacement time
    repeat: bool  # the paper already appeared on an earlier day


@dataclass(slots=True, eq=False)
class Day:
    """One digest: its date and its entries in file order (new, cross-lists, replacements)."""

    date: date
    entries: list[Entry]


class _Generator:
    """Invents papers; owns the random stream and the id counters so ids never collide."""

    def __init__(self, seed: int, github_fraction: float = 0.12) -> None:
        self.rng = random.Random(seed)
        self.counters: dict[str, int] = {}
        self.titles: set[str] = set()
        self.github_fraction = github_fraction

    def new_id(self, when: date) -> str:
        yymm = f"{when.year % 100:02d}{when.month:02d}"
        n = self.counters.get(yymm, 0) + 1
        if n > 99999:
            raise ValueError(f"more than 99999 papers in month {yymm}")
        self.counters[yymm] = n
        return f"{yymm}.{n:05d}"

    def title(self) -> str:
        rng = self.rng
        while True:
            a1, a2 = (w.capitalize() for w in rng.sample(ADJS, 2))
            n1, n2, n3, n4 = (w.capitalize() for w in rng.sample(NOUNS, 4))
            acr = rng.choice(_ACR_PARTS) + rng.choice(_ACR_PARTS)
            shape = rng.randrange(6)
            if shape == 0:
                t = f"{acr}: {a1} {n1} {rng.choice(_PREPS)} {a2} {n2} {n3}"
            elif shape == 1:
                t = f"On the {n1} of {a1} {n2} {n3} in {a2} {n4}"
            elif shape == 2:
                t = f"Towards {a1} {n1}: {a2} {n2} {n3} via {n4} {rng.choice(NOUNS).capitalize()}"
            elif shape == 3:
                t = f"{acr}: A {a1} {n1} for {n2} {n3} and {a2} {n4}"
            elif shape == 4:
                t = f"{a1} {n1} {rng.choice(VERBS).capitalize()} {a2} {n2} {rng.choice(_PREPS)} {n3} {n4}"
            else:
                t = f"When {a1} {n1} Meets {n2}: {a2} {n3} for {n4}"
            if t not in self.titles:
                self.titles.add(t)
                return t

    def paragraphs(self, github: str | None, project: str | None) -> tuple[str, ...]:
        """About 1.1 KB of sentences; sometimes two paragraphs, sometimes a link to code."""
        rng = self.rng
        target = rng.randint(650, 1600)
        sentences: list[str] = []
        size = 0
        choices, choice, randint = rng.choices, rng.choice, rng.randint
        while size < target:
            words = choices(_ABSTRACT_POOL, k=randint(9, 24))
            if rng.random() < 0.25:
                words[randint(0, len(words) - 1)] = choice(_EXTRAS)
            s = f"{choice(_OPENERS)} {' '.join(words)} {choice(NOUNS)}."
            sentences.append(s)
            size += len(s) + 1
        if github and rng.random() < 0.8:
            sentences.append(f"Code is available at {github}.")
        if project and rng.random() < 0.5:
            sentences.append(f"Project page: {project}")
        if len(sentences) > 5 and rng.random() < 0.2:
            cut = len(sentences) // 2
            return (" ".join(sentences[:cut]), " ".join(sentences[cut:]))
        return (" ".join(sentences),)

    def paper(self, published: datetime, kind: str) -> SynthPaper:
        rng = self.rng
        n_authors = min(1 + int(rng.expovariate(0.22)), 40)
        authors = tuple(
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(n_authors)
        )
        if kind == "cross":  # primary outside the subscribed archives, one of them secondary
            cats = [rng.choice(_OTHER_CATS), rng.choice(_SUBSCRIBED)]
        else:
            cats = [rng.choice(_SUBSCRIBED)]
        for c in rng.sample(_OTHER_CATS, rng.randint(0, 2)):
            if c not in cats:
                cats.append(c)
        handle = f"{rng.choice(LAST_NAMES).lower()}-{rng.choice(_ACR_PARTS).lower()}"
        github = (
            f"https://github.com/{handle}/{rng.choice(_ACR_PARTS)}{rng.choice(NOUNS).capitalize()}"
            if rng.random() < self.github_fraction
            else None
        )
        project = f"https://{handle}.github.io/{rng.choice(NOUNS)}/" if rng.random() < 0.08 else None
        r = rng.random()
        if r < 0.45:
            comments = f"{rng.randint(4, 60)} pages, {rng.randint(1, 14)} figures"
        elif r < 0.6:
            comments = (
                f"Accepted for publication at the {rng.randint(2, 41)}th {rng.choice(ADJS).capitalize()} "
                f"Conference on {rng.choice(NOUNS).capitalize()} {rng.choice(NOUNS).capitalize()} & "
                f"{rng.choice(NOUNS).capitalize()} ({rng.choice(_VENUES)} {published.year + 1})"
            )
        elif r < 0.7:
            comments = f"{rng.choice(_VENUES)} {published.year}; {rng.randint(8, 30)} pages"
        else:
            comments = None
        up = int(rng.paretovariate(1.3)) - 1
        return SynthPaper(
            id=self.new_id(published.date()),
            title=self.title(),
            paragraphs=self.paragraphs(github, project),
            authors=authors,
            categories=tuple(cats),
            published=published,
            comments=comments,
            doi=f"10.{rng.randint(1000, 9999)}/{rng.randint(100000, 999999)}" if rng.random() < 0.06 else None,
            upvotes=min(up, 400),
            num_comments=rng.choice((0, 0, 0, 1, 1, 2, 3)),
            github=github,
            project=project,
            organization=rng.choice(_ORGS) if rng.random() < 0.03 else None,
            kb=rng.randint(12, 9000),
            hf_byline=rng.random() >= 0.05,
        )

    def moment(self, day: date, back_min: int, back_max: int) -> datetime:
        """A time `back_min`..`back_max` days before `day`'s 19:00 GMT cut-off."""
        rng = self.rng
        seconds = rng.randint(back_min * 86400, back_max * 86400 + 86399)
        return datetime(day.year, day.month, day.day, 19) - timedelta(seconds=seconds)


def build_corpus(
    days: int,
    papers_per_day: int | Sequence[int],
    seed: int = 0,
    start: date = date(2025, 1, 1),
    repeat_fraction: float = 0.02,
    github_fraction: float = 0.12,
) -> list[Day]:
    """The ground truth: which papers each day's digest holds, in file order.

    Rendering is separate (see `render`), so the same seed gives the same papers in every format.
    """
    counts = [papers_per_day] * days if isinstance(papers_per_day, int) else list(papers_per_day)
    if len(counts) != days:
        raise ValueError("papers_per_day must be an int or one count per day")
    gen = _Generator(seed, github_fraction)
    rng = gen.rng
    seen: list[SynthPaper] = []
    corpus: list[Day] = []
    for i, count in enumerate(counts):
        day = start + timedelta(days=i)
        n_rep = min(int(count * repeat_fraction + rng.random()), len(seen), count) if seen else 0
        sections: dict[str, list[Entry]] = {"new": [], "cross": [], "replaced": []}
        for paper in rng.sample(seen, n_rep):
            paper.version += 1
            when = gen.moment(day, 0, 0)
            sections["replaced"].append(Entry(paper, "replaced", rng.random() < 0.3, paper.version, when, True))
        today: list[SynthPaper] = []
        for _ in range(count - n_rep):
            r = rng.random()
            if r < 0.62:
                kind, when = "new", gen.moment(day, 0, 2)
                published = when
            elif r < 0.85:
                kind, when = "cross", gen.moment(day, 0, 6)
                published = when
            else:
                kind, when = "replaced", gen.moment(day, 0, 0)
                published = gen.moment(day, 20, 900)
            if rng.random() < 0.25:  # the HF page also lists older papers
                published = gen.moment(day, 3, 1100)
            paper = gen.paper(published, kind)
            if kind == "replaced":
                paper.version = rng.randint(2, 4)
            today.append(paper)
            sections[kind].append(Entry(paper, kind, kind == "replaced" and rng.random() < 0.3, paper.version, when, False))
        seen.extend(today)
        corpus.append(Day(day, sections["new"] + sections["cross"] + sections["replaced"]))
    return corpus


# --------------------------------------------------------------------------------------------
# Rendering: one function per format, each writing the exact shape of the real files

_WRAP_CACHE: dict[int, re.Pattern[str]] = {}


def _wrap(text: str, first: int, rest: int) -> list[str]:
    """Greedy word wrap (first line `first` wide, then `rest`), by regex for speed."""
    if len(text) <= first:
        return [text]
    pf = _WRAP_CACHE.get(first) or _WRAP_CACHE.setdefault(first, re.compile(r"(.{1,%d})(?: |$)" % first))
    pr = _WRAP_CACHE.get(rest) or _WRAP_CACHE.setdefault(rest, re.compile(r"(.{1,%d})(?: |$)" % rest))
    m = pf.match(text)
    if m is None:
        return textwrap.wrap(text, first, break_long_words=False, break_on_hyphens=False)
    lines = [m.group(1)]
    tail = text[m.end():]
    if tail:
        lines.extend(pr.findall(tail))
    if sum(map(len, lines)) + len(lines) - 1 != len(text):  # a word wider than the line
        return textwrap.wrap(text, first, break_long_words=False, break_on_hyphens=False)
    return lines


def _field(name: str, value: str) -> str:
    """An arXiv e-mail header field, wrapped at 79 columns with 2-space continuation lines."""
    return "\n  ".join(_wrap(f"{name}: {value}", 79, 77))


def _mail_time(t: datetime) -> str:
    return f"{_WEEKDAYS[t.weekday()]}, {t.day} {_MONTHS[t.month - 1]} {t.year} {t:%H:%M:%S} GMT"


def _short_time(d: date) -> str:
    """`Wed  7 Jun 23 19:00:00 GMT`, as the e-mail's "received from" line writes it."""
    return f"{_WEEKDAYS[d.weekday()]} {d.day:2d} {_MONTHS[d.month - 1]} {d.year % 100:02d} 19:00:00 GMT"


def _weekday_before(d: date) -> date:
    d -= timedelta(days=1)
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


DASHES = "-" * 78
_SECTION_CROSS = "%-" * 39
_SECTION_REPLACED = "%%--" * 19 + "%%"
_TRAILER = "%%%---" * 13


def render_arxiv_email(day: Day) -> str:
    """A 2024+ arXiv subscription e-mail: header, new / cross-list / replacement sections.

    As in the real mailings, the "received from ... to ..." window ends at 19:00 GMT on the
    weekday before the mailing day (Thu-Fri for a Monday mailing).
    """
    end = _weekday_before(day.date)
    out = [
        DASHES, DASHES,
        "Send any comments regarding submissions directly to submitter.",
        DASHES,
        "Archives at http://arxiv.org/",
        "To unsubscribe, e-mail To: cs@arXiv.org, Subject: cancel",
        DASHES,
        " Submissions to:",
        *_SUBSCRIBED_NAMES,
        f" received from  {_short_time(_weekday_before(end))}  to  {_short_time(end)}",
        DASHES,
    ]
    section = "new"
    for e in day.entries:
        if section == "new" and e.kind != "new":
            out.append(_SECTION_CROSS)
            section = "cross"
        if section == "cross" and e.kind == "replaced":
            out.append(_SECTION_REPLACED)
            section = "replaced"
        p = e.paper
        out.append(DASHES)
        out.append("\\\\")
        out.append(f"arXiv:{p.id} (*cross-listing*)" if e.kind == "cross" or e.cross else f"arXiv:{p.id}")
        if e.kind == "replaced":
            out.append(f"replaced with revised version {_mail_time(e.when)}   ({p.kb}kb)")
        else:
            out.append(f"Date: {_mail_time(p.published)}   ({p.kb}kb)")
        out.append("")
        out.append(_field("Title", p.title))
        authors = " and ".join(p.authors) if len(p.authors) == 2 else ", ".join(p.authors)
        out.append(_field("Authors", authors))
        out.append(f"Categories: {' '.join(p.categories)}")
        if p.comments:
            out.append(_field("Comments", p.comments))
        if p.doi:
            out.append(f"DOI: {p.doi}")
        if e.kind != "replaced":
            out.append("\\\\")
            for para in p.paragraphs:
                out.extend(_wrap("  " + para, 79, 79))
        out.append(f"\\\\ ( https://arxiv.org/abs/{p.id} ,  {p.kb}kb)")
    if section == "new":
        out.append(_SECTION_CROSS)
        section = "cross"
    if section == "cross":
        out.append(_SECTION_REPLACED)
    out.append(_TRAILER)
    return "\n".join(out) + "\n"


def _hf_date(d: date, today: date) -> str:
    """The HF page's date: no year for this year's dates, `Aug 19, 2024` otherwise."""
    if d.year == today.year:
        return f"{_MONTHS[d.month - 1]} {d.day}"
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def render_hf_text(day: Day) -> str:
    """The HF daily page saved as text, blank-line variant with byline blocks."""
    out = [
        "new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers",
        "byAK and the research community", _hf_date(day.date, day.date),
    ]
    for e in day.entries:
        p = e.paper
        out.append(p.title)
        out.append(p.abstract)
        if not p.hf_byline:
            continue
        byline = f"{p.organization[0]} {p.organization[1]}" if p.organization else f"  • {len(p.authors)} authors"
        when = _hf_date(p.published.date(), day.date)
        if p.upvotes:
            when = f"{when} {p.upvotes}"
        out.append(f"{byline}\n·\n{when}")
    return "\n\n".join(out)


def _hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def _iso(t: datetime) -> str:
    return f"{t:%Y-%m-%dT%H:%M:%S}.000Z"


def render_hf_json(day: Day) -> str:
    """The HF `api/daily_papers` response: a compact JSON array in the current API shape."""
    rng = random.Random(f"hf-json:{day.date.isoformat()}")
    submitted = _iso(datetime(day.date.year, day.date.month, day.date.day))
    items = []
    for e in day.entries:
        p = e.paper
        user_id = _hex_id(rng)
        login = f"{p.authors[0].split()[0].lower()}{p.kb % 97}"
        user = {"_id": user_id, "avatarUrl": f"/avatars/{rng.getrandbits(128):032x}.svg", "fullname": p.authors[0], "name": login, "type": "user"}
        published = datetime(p.published.year, p.published.month, p.published.day)
        paper: dict[str, object] = {
            "id": p.id,
            "authors": [{"_id": _hex_id(rng), "name": a, "hidden": False} for a in p.authors],
            "publishedAt": _iso(published),
            "submittedOnDailyAt": submitted,
            "title": p.title,
            "submittedOnDailyBy": {**user, "isPro": False, "user": login},
            "summary": p.abstract,
            "upvotes": p.upvotes,
            "discussionId": _hex_id(rng),
        }
        if p.github:
            paper.update(githubRepo=p.github, githubRepoAddedBy="user", githubStars=p.kb % 300)
        if p.project:
            paper["projectPage"] = p.project
        org = None
        if p.organization or p.kb % 5 == 0:
            handle, name = p.organization or _ORGS[p.kb % len(_ORGS)]
            org = {"_id": _hex_id(rng), "name": handle, "fullname": name, "avatar": f"https://cdn-avatars.huggingface.co/v1/production/uploads/{handle}.png"}
            paper["organization"] = org
        item: dict[str, object] = {
            "paper": paper,
            "publishedAt": _iso(published - timedelta(hours=4)),
            "title": p.title,
            "summary": p.abstract,
            "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{p.id}.png",
            "numComments": p.num_comments,
            "submittedBy": {**user, "isPro": False, "isHf": False, "isHfAdmin": False, "isMod": False, "isUserFollowing": False},
        }
        if org:
            item["organization"] = org
        item["isAuthorParticipating"] = bool(p.kb % 3 == 0)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def _x(text: str) -> str:
    return _xml_escape(text)


def _xa(text: str) -> str:
    return _xml_escape(text, {'"': "&quot;"})


def render_arxiv_atom(day: Day) -> str:
    """An arXiv API (export.arxiv.org/api/query) Atom response, 2026 layout."""
    n = len(day.entries)
    stamp = f"{day.date.isoformat()}T20:00:00Z"
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">',
        f"  <id>https://arxiv.org/api/synth{day.date:%Y%m%d}</id>",
        f"  <title>arXiv Query: search_query=cat:cs.AI OR cat:cs.LG&amp;id_list=&amp;start=0&amp;max_results={n}</title>",
        f"  <updated>{stamp}</updated>",
        f'  <link href="https://arxiv.org/api/query?search_query=cat:cs.AI+OR+cat:cs.LG&amp;start=0&amp;max_results={n}&amp;id_list=" type="application/atom+xml"/>',
        f"  <opensearch:itemsPerPage>{n}</opensearch:itemsPerPage>",
        f"  <opensearch:totalResults>{n * 1000 + 17}</opensearch:totalResults>",
        "  <opensearch:startIndex>0</opensearch:startIndex>",
    ]
    for e in day.entries:
        p = e.paper
        vid = f"{p.id}v{e.version}"
        updated = e.when if e.kind == "replaced" else p.published
        out.append("  <entry>")
        out.append(f"    <id>http://arxiv.org/abs/{vid}</id>")
        out.append(f"    <title>{_x(p.title)}</title>")
        out.append(f"    <updated>{updated:%Y-%m-%dT%H:%M:%SZ}</updated>")
        out.append(f'    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>')
        out.append(f'    <link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf" title="pdf"/>')
        out.append(f"    <summary>{_x(p.abstract)}</summary>")
        for c in p.categories:
            out.append(f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>')
        out.append(f"    <published>{p.published:%Y-%m-%dT%H:%M:%SZ}</published>")
        if p.comments:
            out.append(f"    <arxiv:comment>{_x(p.comments)}</arxiv:comment>")
        out.append(f'    <arxiv:primary_category term="{p.categories[0]}"/>')
        for a in p.authors:
            out.append(f"    <author>\n      <name>{_x(a)}</name>\n    </author>")
        if p.doi:
            out.append(f"    <arxiv:doi>{p.doi}</arxiv:doi>")
            out.append(f'    <link rel="related" href="https://doi.org/{_xa(p.doi)}" title="doi"/>')
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def render_arxiv_rss(day: Day) -> str:
    """An rss.arxiv.org RSS 2.0 listing (2024+), with `Announce Type:` in each description."""
    wd = _WEEKDAYS[day.date.weekday()]
    pub = f"{wd}, {day.date.day:02d} {_MONTHS[day.date.month - 1]} {day.date.year} 00:00:00 -0500"
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">',
        "  <channel>",
        "    <title>cs.AI updates on arXiv.org</title>",
        "    <link>http://rss.arxiv.org/rss/cs.AI</link>",
        "    <description>cs.AI updates on the arXiv.org e-print archive.</description>",
        '    <atom:link href="http://rss.arxiv.org/rss/cs.AI" rel="self" type="application/rss+xml" />',
        "    <docs>http://www.rssboard.org/rss-specification</docs>",
        "    <language>en-us</language>",
        f"    <lastBuildDate>{wd}, {day.date.day:02d} {_MONTHS[day.date.month - 1]} {day.date.year} 05:00:00 +0000</lastBuildDate>",
        "    <managingEditor>rss-help@arxiv.org</managingEditor>",
        f"    <pubDate>{pub}</pubDate>",
        "    <skipDays>",
        "      <day>Saturday</day>",
        "      <day>Sunday</day>",
        "    </skipDays>",
    ]
    for e in day.entries:
        p = e.paper
        if e.kind == "replaced":
            announce = "replace-cross" if e.cross else "replace"
        else:
            announce = e.kind
        out.append("    <item>")
        out.append(f"      <title>{_x(p.title)}</title>")
        out.append(f"      <link>https://arxiv.org/abs/{p.id}</link>")
        out.append(
            f"      <description>arXiv:{p.id}v{e.version} Announce Type: {announce} \n"
            f"Abstract: {_x(p.abstract)}</description>"
        )
        out.append(f'      <guid isPermaLink="false">oai:arXiv.org:{p.id}v{e.version}</guid>')
        for c in p.categories:
            out.append(f"      <category>{c}</category>")
        out.append(f"      <pubDate>{pub}</pubDate>")
        out.append(f"      <arxiv:announce_type>{announce}</arxiv:announce_type>")
        out.append("      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>")
        out.append(f"      <dc:creator>{_x(', '.join(p.authors))}</dc:creator>")
        out.append("    </item>")
    out.append("    </channel>")
    out.append("</rss>")
    return "\n".join(out) + "\n"


RENDERERS = {
    "hf-text": render_hf_text,
    "hf-json": render_hf_json,
    "arxiv-email": render_arxiv_email,
    "arxiv-atom": render_arxiv_atom,
    "arxiv-rss": render_arxiv_rss,
}


def render(fmt: str, day: Day) -> str:
    """One day's digest as text in format `fmt`."""
    try:
        return RENDERERS[fmt](day)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}") from None


def file_name(fmt: str, day: Day) -> str:
    """`YYYY-MM-DD.ext`: the date in the name lets the HF text parser infer the year."""
    return f"{day.date.isoformat()}{EXTENSIONS[fmt]}"


def mixed_format(index: int) -> str:
    """The format of day `index` in a mixed corpus (rotating through all five)."""
    return FORMATS[index % len(FORMATS)]


# --------------------------------------------------------------------------------------------
# Public API


def _write(out_dir: Path, corpus: list[Day], formats: Sequence[str]) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for day, fmt in zip(corpus, formats):
        path = out_dir / file_name(fmt, day)
        path.write_text(render(fmt, day), encoding="utf-8")
        paths.append(path)
    return paths


def generate(
    out_dir: Path,
    fmt: str,
    days: int,
    papers_per_day: int,
    seed: int = 0,
    start: date = date(2025, 1, 1),
    repeat_fraction: float = 0.02,
) -> list[Path]:
    """Write one digest per day in format `fmt`; returns the paths in date order."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    corpus = build_corpus(days, papers_per_day, seed, start, repeat_fraction)
    return _write(out_dir, corpus, [fmt] * days)


def generate_mixed(
    out_dir: Path, days: int, papers_per_day: int, seed: int = 0, start: date = date(2025, 1, 1)
) -> list[Path]:
    """Write one digest per day, rotating through the five formats (see `mixed_format`)."""
    corpus = build_corpus(days, papers_per_day, seed, start)
    return _write(out_dir, corpus, [mixed_format(i) for i in range(days)])


def year_counts(total_papers: int, days: int = 365) -> list[int]:
    """Spread `total_papers` over `days` as evenly as possible (e.g. 30000 -> 82 or 83 a day)."""
    base, extra = divmod(total_papers, days)
    return [base + (1 if i < extra else 0) for i in range(days)]


def write_year(out_dir: Path, total_papers: int = 30000, fmt: str = "hf-text", seed: int = 0) -> list[Path]:
    """A year of daily digests holding exactly `total_papers` entries: the benchmark corpus."""
    if fmt == "mixed":
        corpus = build_corpus(365, year_counts(total_papers), seed)
        return _write(out_dir, corpus, [mixed_format(i) for i in range(365)])
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}")
    return _write(out_dir, build_corpus(365, year_counts(total_papers), seed), [fmt] * 365)


def hostile_titles() -> list[str]:
    """Strings that break naive UIs: markup, escape sequences, controls, bidi, huge and wide text.

    For safety tests: each must be shown literally (or with controls removed), never interpreted.
    """
    return [
        "[bold red]x[/]",
        "[@click=app.quit]y[/]",
        "[link=file:///etc/passwd]z[/link]",
        "[$error]",
        "[A-Z]",
        "[b]unclosed bold",
        "[/]",
        "Plain \\[escaped] brackets [and] [[doubled]]",
        "\x1b[31mred\x1b[0m",
        "\x1b]8;;http://x\x1b\\click\x1b]8;;\x1b\\",
        "\x9b2J cleared",
        "\x1b[2J\x1b[H home",
        "nul\x00byte",
        "bell\x07ring",
        "back\x08space and\rcarriage",
        "tab\tand\vvertical\fform",
        "\u202eRTL override gnp.exe",
        "zero\u200bwidth\u200djoiner\ufeffbom",
        "W" * 500,
        "Supercalifragilistic" * 30,
        "emoji 🧪🔬📈 👩‍🔬 flags 🇺🇳",
        "宽字符标题：大型语言模型的推理与对齐研究",
        "Ｆｕｌｌｗｉｄｔｈ ＴＩＴＬＥ",
        "combining a\u0301\u0301\u0301\u0301 e\u0308",
        "$(rm -rf /) `whoami` ; DROP TABLE papers;--",
        "<script>alert(1)</script> &amp; &lt;",
        "%s %d {0} {title} $title ${x}",
        "",
        "   ",
        "\n\nnewlines\ninside\n",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: generate a corpus and print how many files, papers and megabytes it holds."""
    ap = argparse.ArgumentParser(description="Write synthetic papertray digests.")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--format", default="hf-text", choices=(*FORMATS, "mixed"))
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--per-day", type=int, default=82)
    ap.add_argument("--total", type=int, help="spread exactly this many papers over the days (overrides --per-day)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=date.fromisoformat, default=date(2025, 1, 1))
    ap.add_argument("--repeat", type=float, default=0.02, help="fraction of papers repeated on a later day")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    per_day = year_counts(args.total, args.days) if args.total is not None else args.per_day
    corpus = build_corpus(args.days, per_day, args.seed, args.start, args.repeat)
    formats = [mixed_format(i) for i in range(args.days)] if args.format == "mixed" else [args.format] * args.days
    paths = _write(args.out_dir, corpus, formats)
    elapsed = time.perf_counter() - t0
    papers = sum(len(d.entries) for d in corpus)
    mb = sum(p.stat().st_size for p in paths) / 1e6
    print(f"{len(paths)} files, {papers} papers, {mb:.1f} MB in {elapsed:.2f} s -> {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
