package market

// dealOutcome is the outcome a deal is about: the listing of an outcome
// deal, or the outcome a proposal offered; nil when there is none.
func dealOutcome(tx Tx, d Deal) (*Outcome, error) {
	id := d.ListingID
	if d.Source == DealFromProposal {
		p, err := tx.ProposalByID(d.ListingID)
		if err != nil {
			return nil, err
		}
		if id = p.OutcomeID; id == "" {
			return nil, nil
		}
	}
	return tx.OutcomeByID(id)
}

// registrationDefaults fills what an offer leaves empty of its registration
// answers from the listing: the form's technology field mapped from the
// listing's field, the IP type and the patent numbers.
func registrationDefaults(tx Tx, d Deal, t *OfferTerms) error {
	if t.Registration == nil {
		return nil
	}
	o, err := dealOutcome(tx, d)
	if err != nil || o == nil {
		return err
	}
	r := *t.Registration
	if r.TechField == "" {
		r.TechField = RegistrationFieldFor(o.Field)
	}
	if r.IPType == "" {
		r.IPType = o.IPType
	}
	if len(r.PatentNumbers) == 0 {
		r.PatentNumbers = o.PatentNumbers
	}
	t.Registration = &r
	return nil
}

// checkRegistrable runs, after the domain accepted the action, the rules
// that need the store: an offer's contract type must be one the outcome is
// offered under, and a signatory's organisation must have the profile the
// registration form requires before it signs.
func checkRegistrable(tx Tx, n Deal, da DealActor, act DealAction) error {
	switch a := act.(type) {
	case ProposeOffer:
		if n.Source != DealFromOutcome {
			return nil // a challenge's need does not restrict the contract type
		}
		o, err := tx.OutcomeByID(n.ListingID)
		if err != nil {
			return err
		}
		return CheckListingContractType(a.Terms.ContractType, o.TransferModes)
	case SignContract:
		o, err := tx.OrganizationByID(da.OrgID)
		if err != nil {
			return err
		}
		var f Fields
		o.OrgProfile.Complete(&f, da.Role+".")
		return f.Err()
	}
	return nil
}
