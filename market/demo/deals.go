package demo

import (
	"context"
	"fmt"
	"hash/crc32"
	"slices"
	"techbridge/market/msgs"
	"time"

	// The demo speaks the domain's vocabulary throughout; it is a package
	// apart only to keep data out of the domain package.
	. "techbridge/market"
)

// Deals names the demo organisations the demo deals are made between.
type Deals struct {
	// Buyers are enterprises or public bodies; buyer i opens a deal on the
	// i-th published outcome and takes it to stage i: inquiry, negotiation
	// with a counter-offer, signed with the intermediary, contract drafted
	// with one signature (then round again).
	Buyers []string
	// Intermediary brokers the signed deal; "" leaves it out.
	Intermediary string
}

// demoNDAText is the NDA published for a demo seller that has none.
const demoNDAText = "保密协议（示例）：买方对通过本平台获得的技术秘密承担保密义务，期限五年。\n" +
	"Non-disclosure agreement (demo): the buyer keeps the technical secrets it receives through TechBridge confidential for five years."

// SeedDeals creates the demo deals through the same service calls a
// user makes, after the demo listings are published. It returns how many
// deals it opened. Every organisation acts through one of its owners.
func SeedDeals(ctx context.Context, s *Service, in Deals) (int, error) {
	var outcomes []Outcome
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		page, err := tx.ListOutcomes(OutcomeFilter{Status: ListingPublished, Limit: MaxPageSize})
		outcomes = page.Items
		return err
	})
	if err != nil {
		return 0, err
	}
	// Every owner of a confidential outcome publishes an NDA, so an inquiry
	// on any of them works, not only on those the demo deals use.
	for _, o := range outcomes {
		if err := ensureDemoNDA(ctx, s, o); err != nil {
			return 0, fmt.Errorf("demo NDA of %s: %w", o.OrgID, err)
		}
	}
	opened := 0
	used := map[string]bool{}
	for i, buyerOrg := range in.Buyers {
		var o *Outcome
		for j := range outcomes {
			if c := &outcomes[(i+j)%len(outcomes)]; !used[c.ID] && c.OrgID != buyerOrg {
				o = c
				break
			}
		}
		if o == nil {
			break
		}
		used[o.ID] = true
		stage := i % 4
		broker := ""
		if stage == 2 {
			broker = in.Intermediary
		}
		if err := demoDeal(ctx, s, buyerOrg, *o, stage, broker); err != nil {
			return opened, fmt.Errorf("demo deal of %s on %q: %w", buyerOrg, o.Title, err)
		}
		opened++
	}
	return opened, nil
}

// ensureDemoNDA publishes the demo NDA for the owner of a confidential
// outcome that has none.
func ensureDemoNDA(ctx context.Context, s *Service, o Outcome) error {
	if !o.Confidential() {
		return nil
	}
	if _, err := s.CurrentNDA(ctx, o.OrgID); ErrorCode(err) != ENOTFOUND {
		return err
	}
	owner, err := ownerActor(ctx, s, o.OrgID)
	if err != nil {
		return err
	}
	_, err = s.PublishNDA(ctx, owner, o.OrgID, demoNDAText)
	return err
}

// ownerActor returns the actor of one of the organisation's owners.
func ownerActor(ctx context.Context, s *Service, orgID string) (Actor, error) {
	var accountID string
	err := s.Store.View(ctx, func(tx Tx) error {
		ms, err := tx.Members(orgID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Role == MemberOwner {
				accountID = m.AccountID
				return nil
			}
		}
		return Errorf(ENOTFOUND, msgs.OrganisationXHasNoOwner, orgID)
	})
	if err != nil {
		return Actor{}, err
	}
	return s.ActorFor(ctx, accountID)
}

// demoTerms is an offer over price in two milestones, due in one and four
// months, of a contract type the outcome is offered under, with every
// answer the registration form asks for (demoRegistration).
func demoTerms(o Outcome, price int64, now time.Time) OfferTerms {
	first := price * 4 / 10
	day := now.Truncate(24 * time.Hour)
	t := OfferTerms{ContractType: ContractDevelopment, Price: price, Currency: "CNY", Milestones: []MilestoneTerms{
		{Title: "技术资料交付 / Technical package", Deliverable: "工艺文件、图纸与专利转让登记材料 / process documents, drawings and patent assignment filings", Amount: first, Due: day.AddDate(0, 1, 0)},
		{Title: "中试验收 / Pilot acceptance", Deliverable: "中试线连续运行 72 小时达标 / pilot line meets targets over 72 hours", Amount: price - first, Due: day.AddDate(0, 4, 0)},
	}}
	if types := ListingContractTypes(o.TransferModes); len(types) > 0 {
		t.ContractType = types[0]
	}
	t.Registration = demoRegistration(o, t.ContractType, price, day)
	if t.ContractType == ContractLicence {
		exclusive := slices.Contains(o.TransferModes, TransferExclusiveLicence)
		t.Licence = &LicenceScope{Exclusive: exclusive, Territory: "中国大陆 / Mainland China", FieldOfUse: o.Title, TermMonths: 60}
		if !exclusive {
			t.Registration.SubType = "non_exclusive"
		}
	}
	return t
}

// demoRegistration fills the registration form for a demo offer: the
// first sub-type of the contract type, the listing's field, IP type and
// patents (a demo number when a patent listing names none), a five-year
// term and, for transfers, expected investment and output.
func demoRegistration(o Outcome, contractType string, price int64, day time.Time) *RegistrationTerms {
	r := &RegistrationTerms{SubType: ContractSubTypes[contractType][0].Code, TechField: RegistrationFieldFor(o.Field),
		IPType: o.IPType, PatentNumbers: o.PatentNumbers, ValidFrom: day, ValidUntil: day.AddDate(5, 0, 0),
		SigningPlace: "上海市 / Shanghai", SocioEconomicGoal: "industry"}
	if r.TechField == "" {
		r.TechField = "advanced_manufacturing"
	}
	if slices.Contains(PatentIPTypes, r.IPType) && len(r.PatentNumbers) == 0 {
		r.PatentNumbers = []string{fmt.Sprintf("CN2024%07dA", crc32.ChecksumIEEE([]byte(o.ID))%10_000_000)}
	}
	if contractType == ContractTransfer {
		r.ExpectedInvestment, r.ExpectedOutput = price*2, price*10
		if _, ok := CodeIn(ContractSubTypes[ContractTransfer], r.IPType); ok {
			r.SubType = r.IPType // know_how, software_copyright … name the thing transferred
		}
	}
	return r
}

// demoStep is one action of a demo deal and who takes it.
type demoStep struct {
	who Actor
	act DealAction
}

// demoDeal opens one deal and takes it to stage (see Deals.Buyers).
func demoDeal(ctx context.Context, s *Service, buyerOrg string, o Outcome, stage int, broker string) error {
	buyer, err := ownerActor(ctx, s, buyerOrg)
	if err != nil {
		return err
	}
	seller, err := ownerActor(ctx, s, o.OrgID)
	if err != nil {
		return err
	}
	v, err := s.OpenDealOnOutcome(ctx, buyer, buyerOrg, o.ID,
		"您好，我们对“"+o.Title+"”很感兴趣，希望了解转让条件与中试数据。 / We are interested in this outcome and would like to discuss terms.")
	if err != nil || stage == 0 {
		return err
	}
	id := v.Deal.ID
	steps := []demoStep{{seller, AcceptInquiry{}}}
	if v.Deal.NDA != nil {
		steps = append(steps, demoStep{buyer, AcceptNDA{Hash: v.Deal.NDA.Hash}})
	}
	price := int64(800_000_00)
	if o.Price.Min > 0 {
		price = o.Price.Min
	}
	now := s.Now().UTC()
	add := func(who Actor, act DealAction) { steps = append(steps, demoStep{who, act}) }
	add(seller, PostMessage{Body: "欢迎洽谈，附上初步报价。 / Welcome — here is our first offer."})
	add(seller, ProposeOffer{Terms: demoTerms(o, price, now)})
	add(buyer, ProposeOffer{Terms: demoTerms(o, price*85/100, now)})
	if stage == 2 && broker != "" {
		brokerActor, err := ownerActor(ctx, s, broker)
		if err != nil {
			return err
		}
		add(buyer, InviteIntermediary{OrgID: broker, Fee: FeeTerms{Basis: FeeBasisBPS, BPS: 300, Payer: FeePayerSplit}})
		add(brokerActor, RespondIntermediary{Accept: true})
		add(seller, AgreeIntermediaryFee{Agree: true})
		add(brokerActor, PostMessage{Body: "建议双方按 90% 成交。 / I suggest meeting at 90% of the asking price."})
		add(brokerActor, ProposeOffer{Terms: demoTerms(o, price*9/10, now)})
	}
	if stage >= 2 {
		add(seller, AcceptOffer{Number: 0}) // number filled in below
	}
	for _, st := range steps {
		if a, ok := st.act.(AcceptOffer); ok {
			d, err := s.Deal(ctx, st.who, id)
			if err != nil {
				return err
			}
			a.Number = d.Deal.LatestOffer().Number
			st.act = a
		}
		if v, err = s.ActOnDeal(ctx, st.who, id, st.act); err != nil {
			return fmt.Errorf("%s: %w", st.act.Name(), err)
		}
	}
	if stage < 2 {
		return nil
	}
	hash := v.Deal.Contract.Hash
	if _, err := s.ActOnDeal(ctx, buyer, id, SignContract{Hash: hash}); err != nil || stage == 3 {
		return err
	}
	_, err = s.ActOnDeal(ctx, seller, id, SignContract{Hash: hash})
	return err
}
