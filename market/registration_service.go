package market

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// Registration states: a party submits, the registrar registers or returns
// it, a returned one is fixed and submitted again.
const (
	RegistrationSubmitted  = "submitted"
	RegistrationReturned   = "returned"
	RegistrationRegistered = "registered"
)

// RegistrationStates lists the registration states.
var RegistrationStates = []string{RegistrationSubmitted, RegistrationReturned, RegistrationRegistered}

// Registration event types (the statistics consumer counts these).
const (
	EventRegistrationSubmitted = "contract.registration_submitted"
	EventRegistrationReturned  = "contract.registration_returned"
	EventContractRegistered    = "contract.registered"
)

// ContractRegistration is a signed contract's way through the registry.
// Record is the record as last submitted, with the registry's number and
// date once registered.
type ContractRegistration struct {
	DealID             string
	Version            int64
	State              string
	SubmittedByRole    string
	SubmittedByAccount string
	SubmittedAt        time.Time
	ReturnReason       string
	RegistrarAccount   string
	Record             RegistrationRecord
	UpdatedAt          time.Time
}

// RegistrationFilter selects registrations for the registry's export:
// signing dates From..To (inclusive, YYYY-MM-DD, "" = open), state,
// contract type, the form's technology field, a GB/T 2260 region prefix
// matched against either party ("31" = Shanghai), and the page: deals
// older than After (a deal id), newest first.
type RegistrationFilter struct {
	From, To     string
	State        string
	ContractType string
	TechField    string
	Region       string
	After        string
	Limit        int
}

// RegistrationTx persists registrations.
type RegistrationTx interface {
	// RegistrationByDeal returns a deal's registration; ENOTFOUND when it
	// was never submitted.
	RegistrationByDeal(dealID string) (*ContractRegistration, error)
	// SaveRegistration inserts r when r.Version is 1, else writes it when
	// the stored version is r.Version-1; ECONFLICT when another request
	// won, or when the registration number is taken.
	SaveRegistration(r *ContractRegistration) error
	// ListRegistrations returns up to f.Limit registrations matching f.
	ListRegistrations(f RegistrationFilter) ([]ContractRegistration, error)
}

var (
	registrationNumberPattern = regexp.MustCompile(`^[0-9]{16}$`)
	regionPrefixPattern       = regexp.MustCompile(`^[0-9]{2}([0-9]{2}([0-9]{2})?)?$`)
)

// Validate names every wrong field of the filter.
func (f RegistrationFilter) Validate() error {
	var fs Fields
	for name, d := range map[string]string{"from": f.From, "to": f.To} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			fs.Add(name, msgs.DateYYYYMMDD)
		}
	}
	if f.State != "" && !slices.Contains(RegistrationStates, f.State) {
		fs.Add("state", msgs.OneOf, strings.Join(RegistrationStates, ", "))
	}
	if f.ContractType != "" && !slices.Contains(ContractTypes, f.ContractType) {
		fs.Add("type", msgs.OneOf, strings.Join(ContractTypes, ", "))
	}
	if _, ok := CodeIn(RegistrationTechFields, f.TechField); f.TechField != "" && !ok {
		fs.Add("field", msgs.OneOf, codesOf(RegistrationTechFields))
	}
	if f.Region != "" && !regionPrefixPattern.MatchString(f.Region) {
		fs.Add("region", msgs.DivisionCodeOrPrefix)
	}
	return fs.Err()
}

// registrationDeal loads a deal for a registration action: the parties,
// the intermediary and admins see it as visibleDeal does; the registrar
// sees the contracts submitted to it, and not one more (others get
// ENOTFOUND).
func registrationDeal(tx Tx, actor Actor, id string) (*Deal, DealActor, error) {
	d, da, err := visibleDeal(tx, actor, id)
	if ErrorCode(err) == ENOTFOUND && actor.IsRegistrar() {
		if _, rerr := tx.RegistrationByDeal(id); rerr != nil {
			return nil, DealActor{}, err // never submitted: the registry does not see it
		}
		d, err = tx.DealByID(id)
		return d, DealActor{Role: DealRoleOther, AccountID: actor.AccountID}, err
	}
	return d, da, err
}

// dealOrgs loads the organisations of a deal's contract parties by id.
func dealOrgs(tx Tx, d Deal) (map[string]*Organization, error) {
	orgs := map[string]*Organization{}
	for _, id := range dealPartyOrgs(d) {
		o, err := tx.OrganizationByID(id)
		if err != nil {
			return nil, err
		}
		orgs[id] = o
	}
	return orgs, nil
}

// currentRegistration is the record of a deal as the registry has it:
// the submitted one while it is submitted or registered, else built anew
// from the contract and the parties' profiles as they are now.
func currentRegistration(tx Tx, d Deal) (RegistrationRecord, *ContractRegistration, error) {
	reg, err := tx.RegistrationByDeal(d.ID)
	if err != nil && !isNotFound(err) {
		return RegistrationRecord{}, nil, err
	}
	if reg != nil && reg.State != RegistrationReturned {
		return reg.Record, reg, nil
	}
	orgs, err := dealOrgs(tx, d)
	if err != nil {
		return RegistrationRecord{}, nil, err
	}
	r, err := RegistrationFromDeal(d, orgs)
	if reg != nil {
		r.State, r.ReturnReason = reg.State, reg.ReturnReason
	}
	return r, reg, err
}

// DealRegistration returns a signed deal's registration record for its
// parties, intermediary, admins and the registrar.
func (s *Service) DealRegistration(ctx context.Context, actor Actor, id string) (RegistrationRecord, error) {
	var r RegistrationRecord
	err := s.Store.View(ctx, func(tx Tx) error {
		d, _, err := registrationDeal(tx, actor, id)
		if err != nil {
			return err
		}
		r, _, err = currentRegistration(tx, *d)
		return err
	})
	return r, err
}

// SubmitRegistration submits a signed contract to the registry, for either
// party or the intermediary; every field the form requires must be there.
func (s *Service) SubmitRegistration(ctx context.Context, actor Actor, id string) (RegistrationRecord, error) {
	now := s.now()
	var r RegistrationRecord
	err := s.Store.Update(ctx, func(tx Tx) error {
		d, da, err := registrationDeal(tx, actor, id)
		if err != nil {
			return err
		}
		if !slices.Contains([]string{DealRoleBuyer, DealRoleSeller, DealRoleIntermediary}, da.Role) {
			return Errorf(EFORBIDDEN, msgs.OnlyPartiesSubmitRegistration)
		}
		reg, err := tx.RegistrationByDeal(d.ID)
		switch {
		case isNotFound(err):
			reg = &ContractRegistration{DealID: d.ID}
		case err != nil:
			return err
		case reg.State != RegistrationReturned:
			return Errorf(ECONFLICT, msgs.ContractAlreadyX, msgs.Term{Kind: "reg.state", Value: reg.State})
		}
		orgs, err := dealOrgs(tx, *d)
		if err != nil {
			return err
		}
		if r, err = RegistrationFromDeal(*d, orgs); err != nil {
			return err
		}
		if err := registrationGaps(*d, orgs); err != nil {
			return err
		}
		r.State = RegistrationSubmitted
		reg.Version++
		reg.State, reg.SubmittedByRole, reg.SubmittedByAccount, reg.SubmittedAt = RegistrationSubmitted, da.Role, actor.AccountID, now
		reg.ReturnReason, reg.Record, reg.UpdatedAt = "", r, now
		if err := tx.SaveRegistration(reg); err != nil {
			return err
		}
		e := NewEvent(EventRegistrationSubmitted, actor.AccountID, "deal", d.ID, map[string]string{"by_role": da.Role}, now)
		return tx.AppendEvent(&e)
	})
	return r, err
}

// registrarAction loads a submitted registration for the registrar.
func registrarAction(tx Tx, actor Actor, id string) (*ContractRegistration, error) {
	if !actor.IsRegistrar() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyRegistryRegisters)
	}
	if _, _, err := registrationDeal(tx, actor, id); err != nil {
		return nil, err
	}
	reg, err := tx.RegistrationByDeal(id)
	if isNotFound(err) {
		return nil, Errorf(ECONFLICT, msgs.NotSubmittedForRegistration)
	} else if err != nil {
		return nil, err
	}
	if reg.State != RegistrationSubmitted {
		return nil, Errorf(ECONFLICT, msgs.RegistrationXNotSubmitted, reg.State)
	}
	return reg, nil
}

// ReturnRegistration sends a submitted contract back to its parties with
// the reason, for them to fix and submit again.
func (s *Service) ReturnRegistration(ctx context.Context, actor Actor, id, reason string) (RegistrationRecord, error) {
	reason = strings.TrimSpace(reason)
	var f Fields
	if reason == "" {
		f.Add("reason", msgs.ReasonTellWhatToFix)
	}
	checkLen(&f, "reason", reason, 1000)
	if err := f.Err(); err != nil {
		return RegistrationRecord{}, err
	}
	now := s.now()
	var r RegistrationRecord
	err := s.Store.Update(ctx, func(tx Tx) error {
		reg, err := registrarAction(tx, actor, id)
		if err != nil {
			return err
		}
		reg.Version++
		reg.State, reg.ReturnReason, reg.RegistrarAccount, reg.UpdatedAt = RegistrationReturned, reason, actor.AccountID, now
		reg.Record.State, reg.Record.ReturnReason = RegistrationReturned, reason
		r = reg.Record
		if err := tx.SaveRegistration(reg); err != nil {
			return err
		}
		e := NewEvent(EventRegistrationReturned, actor.AccountID, "deal", id, map[string]string{"reason": reason}, now)
		return tx.AppendEvent(&e)
	})
	return r, err
}

// RecordRegistration records the registry's 16-digit registration number
// and the date of registration (YYYY-MM-DD, not before signing, not after
// today in China) on a submitted contract.
func (s *Service) RecordRegistration(ctx context.Context, actor Actor, id, number, date string) (RegistrationRecord, error) {
	number, date = strings.TrimSpace(number), strings.TrimSpace(date)
	now := s.now()
	var f Fields
	if !registrationNumberPattern.MatchString(number) {
		f.Add("number", msgs.SixteenDigitRegistrationNumber)
	}
	on, derr := time.Parse(time.DateOnly, date)
	today := now.In(registrationZone).Format(time.DateOnly)
	switch {
	case derr != nil:
		f.Add("date", msgs.DateYYYYMMDD)
	case date > today:
		f.Add("date", msgs.NotAfterTodayX, today)
	}
	if err := f.Err(); err != nil {
		return RegistrationRecord{}, err
	}
	var r RegistrationRecord
	err := s.Store.Update(ctx, func(tx Tx) error {
		reg, err := registrarAction(tx, actor, id)
		if err != nil {
			return err
		}
		if date < reg.Record.SigningDate {
			return Invalid("date", msgs.NotBeforeSigningDateX, reg.Record.SigningDate)
		}
		reg.Version++
		reg.State, reg.RegistrarAccount, reg.UpdatedAt = RegistrationRegistered, actor.AccountID, now
		reg.Record.State, reg.Record.RegistrationNumber, reg.Record.RegisteredOn = RegistrationRegistered, number, on.Format(time.DateOnly)
		r = reg.Record
		if err := tx.SaveRegistration(reg); err != nil {
			if ErrorCode(err) == ECONFLICT {
				return Invalid("number", msgs.NumberOfAnotherContract)
			}
			return err
		}
		e := NewEvent(EventContractRegistered, actor.AccountID, "deal", id, registeredPayload(r), now)
		return tx.AppendEvent(&e)
	})
	return r, err
}

// registeredPayload is the contract.registered event's payload, as the
// statistics consumer reads it (see the event contract in README).
func registeredPayload(r RegistrationRecord) map[string]any {
	im := ""
	if r.Intermediary != nil {
		im = r.Intermediary.OrgID
	}
	return map[string]any{"contract_type": r.ContractType, "sub_type": r.SubType, "tech_field": r.TechField,
		"ip_type": r.IPType, "socio_economic_goal": r.SocioEconomicGoal,
		"buyer_region": r.Buyer.RegionCode, "seller_region": r.Seller.RegionCode,
		"buyer_kind": r.Buyer.Kind, "seller_kind": r.Seller.Kind, "intermediary_org_id": im,
		"currency": r.Currency, "total_amount": r.TotalAmount, "technical_income": r.TechnicalIncome,
		"registration_number": r.RegistrationNumber, "registered_on": r.RegisteredOn, "signed_on": r.SigningDate}
}

// Registrations returns a page of the registry's records matching f, newest
// deal first, for the registrar and admins, with the cursor of the next
// page ("" on the last).
func (s *Service) Registrations(ctx context.Context, actor Actor, f RegistrationFilter) ([]RegistrationRecord, string, error) {
	if !actor.IsRegistrar() {
		return nil, "", Errorf(EFORBIDDEN, msgs.OnlyRegistryExportsRegistrations)
	}
	if err := f.Validate(); err != nil {
		return nil, "", err
	}
	f.Limit = ClampLimit(f.Limit)
	var regs []ContractRegistration
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		regs, err = tx.ListRegistrations(f)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	out := make([]RegistrationRecord, len(regs))
	for i, reg := range regs {
		out[i] = reg.Record
	}
	next := ""
	if len(regs) == f.Limit {
		next = regs[len(regs)-1].DealID
	}
	return out, next, nil
}
