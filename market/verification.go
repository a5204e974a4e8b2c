package market

import "techbridge/market/msgs"

// Refusals of the verification checks name what is missing and where to
// fix it, so a page or client can lead the user there.

// requireVerifiedEmail refuses an account that has not proved its email.
func requireVerifiedEmail(a Actor) error {
	if a.EmailVerified || a.AccountID == "" {
		return nil // anonymous callers are refused elsewhere, as EUNAUTHORIZED
	}
	return Refusal(EFORBIDDEN, msgs.VerifyEmailFirst, "email_verified", msgs.EmailNotVerified)
}

// requireVerifiedOrg refuses an organisation an admin has not verified.
func requireVerifiedOrg(o *Organization) error {
	if o.Verification == VerificationVerified {
		return nil
	}
	return Refusal(EFORBIDDEN, msgs.OrgNotVerified, "organization_verified", msgs.OrgVerificationState,
		o.Name("en"), o.Verification, o.ID)
}

// requireVerified is the one check at the entry of every commitment and
// money action (opening a deal, accepting an NDA, signing, funding,
// releasing, receiving a payout): the acting account has a verified email
// and the organisation it acts for is verified. Platform admins acting as
// admins pass orgID "" and need only their verified email.
func requireVerified(tx Tx, a Actor, orgID string) error {
	if err := requireVerifiedEmail(a); err != nil {
		return err
	}
	if orgID == "" {
		return nil
	}
	o, err := tx.OrganizationByID(orgID)
	if err != nil {
		return err
	}
	return requireVerifiedOrg(o)
}

// requireMilestoneVerified applies requireVerified to a milestone action:
// a party acts for its own organisation, and a release also needs the
// payee (the seller) verified, since it pays the seller out.
func requireMilestoneVerified(tx Tx, a Actor, sc milestoneScope, action string) error {
	var org string
	switch sc.role {
	case MilestoneByBuyer:
		org = sc.d.BuyerOrgID
	case MilestoneBySeller:
		org = sc.d.SellerOrgID
	case MilestoneByIntermediary:
		org = contractIntermediary(sc.d)
	}
	if err := requireVerified(tx, a, org); err != nil {
		return err
	}
	if action == MilestoneRelease {
		seller, err := tx.OrganizationByID(sc.d.SellerOrgID)
		if err != nil {
			return err
		}
		return requireVerifiedOrg(seller)
	}
	return nil
}

// publishableBy refuses to make a listing public (published) for an
// organisation that is not verified; submitting for review is allowed and
// the listing waits in the queue until the organisation is verified.
func publishableBy(tx Tx, status, orgID string) error {
	if status != ListingPublished {
		return nil
	}
	o, err := tx.OrganizationByID(orgID)
	if err != nil {
		return err
	}
	return requireVerifiedOrg(o)
}

// requirePayee refuses to pay a transfer out to an organisation that is
// not verified (now: it may have been rejected since the release); the
// payout waits. Refunds go back to the buyer and are never held.
func requirePayee(tx Tx, op PaymentOp) error {
	if op.Kind != PayTransfer || op.OrgID == "" {
		return nil
	}
	o, err := tx.OrganizationByID(op.OrgID)
	if err != nil {
		return err
	}
	return requireVerifiedOrg(o)
}
