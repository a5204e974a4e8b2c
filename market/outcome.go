package market

import (
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// IP types of an outcome.
const (
	IPInventionPatent   = "invention_patent"
	IPUtilityModel      = "utility_model"
	IPSoftwareCopyright = "software_copyright"
	IPKnowHow           = "know_how"
	IPOther             = "other"
)

// IPTypes lists the IP types in display order.
var IPTypes = []string{IPInventionPatent, IPUtilityModel, IPSoftwareCopyright, IPKnowHow, IPOther}

// Legal status of the patents behind an outcome; "" when not stated.
const (
	LegalPending     = "pending"     // filed, under examination
	LegalGranted     = "granted"     // in force
	LegalExpired     = "expired"     // lapsed or term ended
	LegalInvalidated = "invalidated" // revoked
)

// LegalStatuses lists the legal statuses.
var LegalStatuses = []string{LegalPending, LegalGranted, LegalExpired, LegalInvalidated}

// Transfer modes an outcome is offered under.
const (
	TransferAssignment       = "assignment"
	TransferExclusiveLicence = "exclusive_licence"
	TransferNonExclusive     = "non_exclusive_licence"
	TransferEquity           = "equity"
	TransferJointDevelopment = "joint_development"
)

// TransferModes lists the transfer modes in display order.
var TransferModes = []string{TransferAssignment, TransferExclusiveLicence, TransferNonExclusive, TransferEquity, TransferJointDevelopment}

// Confidentiality levels of an outcome.
const (
	ConfidentialityPublic = "public"       // everything published is public
	ConfidentialityTeaser = "confidential" // a public teaser; details after an NDA is accepted in a deal
)

// Confidentialities lists the confidentiality levels.
var Confidentialities = []string{ConfidentialityPublic, ConfidentialityTeaser}

// DefaultFreshness is how long an outcome stays fresh when its owner states
// no fresh_until: a year, after which the owner is asked to confirm it.
const DefaultFreshness = 365 * 24 * time.Hour

// Outcome is a research outcome offered for transfer (the supply side).
type Outcome struct {
	ListingMeta
	ExternalID      string // the owner's own reference, unique per organisation; "" when none
	Title           string
	Summary         string
	Description     string // hidden in the teaser of a confidential outcome
	Keywords        []string
	Bilingual              // languages, other-language title and summary
	Field           string // TechFields code
	IPC             []string
	TRL             int // 1–9; 0 when not stated
	IPType          string
	PatentNumbers   []string // hidden in the teaser
	LegalStatus     string
	TransferModes   []string
	Price           Money
	Confidentiality string
	FreshUntil      time.Time // a UTC date
}

// Confidential reports whether details are shown only after an NDA.
func (o *Outcome) Confidential() bool { return o.Confidentiality == ConfidentialityTeaser }

// Stale reports whether a published outcome has outlived its fresh_until
// and waits for its owner to confirm it is still available.
func (o *Outcome) Stale(now time.Time) bool {
	return o.Status == ListingPublished && !o.FreshUntil.IsZero() && dateUTC(now).After(o.FreshUntil)
}

// Teaser returns the public part of a confidential outcome (a copy of o for
// a public one): description, patent numbers and the owner's reference are
// withheld until an NDA is accepted.
func (o Outcome) Teaser() Outcome {
	if !o.Confidential() {
		return o
	}
	o.Description, o.PatentNumbers, o.ExternalID = "", nil, ""
	return o
}

// OutcomeInput is what an owner writes on an outcome, by form, API or
// import. Status, owner, version and review fields are not part of it, so
// no body can set them.
type OutcomeInput struct {
	ExternalID      string
	Title           string
	Summary         string
	Description     string
	Keywords        []string
	Bilingual              // Languages empty = detected from the title and summary
	Field           string // "" = derived from IPC (FieldFromIPC)
	IPC             []string
	TRL             *int   // nil = not stated; otherwise 1–9
	IPType          string // "" = IPOther
	PatentNumbers   []string
	LegalStatus     string
	TransferModes   []string
	Price           Money      // Min = Max = 0 means negotiable
	Confidentiality string     // "" = public
	FreshUntil      *time.Time // nil = a year from now
}

var patentNumberChars = func(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '/' || r == ' ')
}

// Normalize trims text, canonicalises codes and fills defaults: field from
// IPC, IP type other, public, CNY, negotiable when no price. It records
// malformed IPC codes in f (they cannot be normalised).
func (in *OutcomeInput) Normalize(f *Fields) {
	trimAll(&in.ExternalID, &in.Title, &in.Summary, &in.Description)
	in.Keywords = normalizeList(in.Keywords)
	in.Bilingual.normalize(in.Title + " " + in.Summary)
	in.IPC = normalizeIPCList(f, in.IPC)
	in.Field = strings.TrimSpace(in.Field)
	if in.Field == "" {
		in.Field = FieldFromIPC(in.IPC)
	}
	in.IPType = strings.TrimSpace(in.IPType)
	if in.IPType == "" {
		in.IPType = IPOther
	}
	pn := normalizeList(in.PatentNumbers)
	for i := range pn {
		pn[i] = strings.ToUpper(pn[i])
	}
	in.PatentNumbers = pn
	in.LegalStatus = strings.TrimSpace(in.LegalStatus)
	in.TransferModes = normalizeList(in.TransferModes)
	in.Confidentiality = strings.TrimSpace(in.Confidentiality)
	if in.Confidentiality == "" {
		in.Confidentiality = ConfidentialityPublic
	}
	normalizeMoney(&in.Price)
}

// Validate names every wrong field of a normalised input, given the time
// (fresh_until must not lie in the past).
func (in OutcomeInput) Validate(f *Fields, now time.Time) {
	checkTitle(f, in.Title)
	checkLen(f, "summary", in.Summary, MaxSummary)
	checkLen(f, "description", in.Description, MaxDescription)
	checkLen(f, "external_id", in.ExternalID, MaxExternalID)
	in.Bilingual.validate(f)
	validateKeywords(f, in.Keywords)
	if !ValidField(in.Field) {
		f.Add("field", msgs.UnknownFieldCodeXSeeGET, in.Field)
	}
	if in.TRL != nil && (*in.TRL < 1 || *in.TRL > 9) {
		f.Add("trl", msgs.OneToNine)
	}
	if !oneOf(in.IPType, IPTypes) {
		f.Add("ip_type", msgs.OneOf, strings.Join(IPTypes, ", "))
	}
	checkPatentNumbers(f, "patent_numbers", in.PatentNumbers)
	if in.LegalStatus != "" && !oneOf(in.LegalStatus, LegalStatuses) {
		f.Add("legal_status", msgs.OneOf, strings.Join(LegalStatuses, ", "))
	}
	for _, m := range in.TransferModes {
		if !oneOf(m, TransferModes) {
			f.Add("transfer_modes", msgs.XNotOneX, m, strings.Join(TransferModes, ", "))
			break
		}
	}
	validateMoney(f, "price", in.Price)
	if !oneOf(in.Confidentiality, Confidentialities) {
		f.Add("confidentiality", msgs.PublicOrConfidential)
	}
	if in.FreshUntil != nil && dateUTC(*in.FreshUntil).Before(dateUTC(now)) {
		f.Add("fresh_until", msgs.NotLieInPast)
	}
}

// apply writes the input onto o, reporting whether anything changed.
func (in OutcomeInput) apply(o *Outcome, now time.Time) bool {
	before := o.content()
	o.ExternalID, o.Title, o.Summary, o.Description = in.ExternalID, in.Title, in.Summary, in.Description
	o.Keywords, o.Field, o.IPC, o.Bilingual = in.Keywords, in.Field, in.IPC, in.Bilingual.clone()
	o.TRL = 0
	if in.TRL != nil {
		o.TRL = *in.TRL
	}
	o.IPType, o.PatentNumbers, o.LegalStatus = in.IPType, in.PatentNumbers, in.LegalStatus
	o.TransferModes, o.Price, o.Confidentiality = in.TransferModes, in.Price, in.Confidentiality
	switch {
	case in.FreshUntil != nil:
		o.FreshUntil = dateUTC(*in.FreshUntil)
	case o.FreshUntil.IsZero():
		o.FreshUntil = dateUTC(now.Add(DefaultFreshness))
	}
	return !o.content().equal(before)
}

// outcomeContent is the owner-editable part of an outcome, for change detection.
type outcomeContent struct {
	scalars [10]string
	trl     int
	lists   [5][]string
	money   Money
	fresh   time.Time
}

func (o *Outcome) content() outcomeContent {
	return outcomeContent{
		scalars: [10]string{o.ExternalID, o.Title, o.Summary, o.Description, o.Field, o.IPType, o.LegalStatus,
			o.Confidentiality, o.TitleAlt, o.SummaryAlt},
		trl:   o.TRL,
		lists: [5][]string{o.Keywords, o.IPC, o.PatentNumbers, o.TransferModes, o.Languages},
		money: o.Price, fresh: o.FreshUntil,
	}
}

func (c outcomeContent) equal(d outcomeContent) bool {
	if c.scalars != d.scalars || c.trl != d.trl || c.money != d.money || !c.fresh.Equal(d.fresh) {
		return false
	}
	for i := range c.lists {
		if !slices.Equal(c.lists[i], d.lists[i]) {
			return false
		}
	}
	return true
}

// OutcomeFilter selects outcomes for a list. Zero values mean no constraint.
type OutcomeFilter struct {
	OrgID    string
	Status   string // "" = any the actor may see (the service narrows it)
	Statuses []string
	Field    string
	TRLMin   int
	TRLMax   int
	PriceMin int64 // outcomes whose range overlaps [PriceMin, PriceMax]; negotiable ones always do
	PriceMax int64
	Region   string // the owning organisation's region, prefix match
	After    string // cursor: id of the last item of the previous page (newest first)
	Offset   int    // rows skipped instead of a cursor (the numbered browse pages), at most MaxListOffset
	Limit    int
	Sort     string // one of OutcomeSorts; "" = newest. Not with After (see checkSort)
}

// ApplyOutcome takes action on o as a pure function: it returns the outcome
// with its new status, version and timestamps and the event to append. A
// confirmation makes a published outcome fresh for another year.
func ApplyOutcome(o Outcome, by ListingRoles, actorID string, action ListingAction, reason string, now time.Time) (Outcome, Event, error) {
	e, err := o.take(OutcomeObjectType, by, actorID, action, reason, now)
	if err == nil && action == ConfirmListing {
		o.FreshUntil = dateUTC(now.Add(DefaultFreshness))
	}
	return o, e, err
}
