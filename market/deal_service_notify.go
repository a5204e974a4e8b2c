package market

import "fmt"

// dealNoticeTexts is the in-app text of each deal step, Chinese then
// English; %s is the deal's subject.
var dealNoticeTexts = map[string][2]string{
	EventDealOpened:                 {"新的洽谈请求：%s", "New inquiry: %s"},
	EventDealInquiryAccepted:        {"对方接受了洽谈：%s", "Your inquiry was accepted: %s"},
	EventDealDeclined:               {"对方拒绝了洽谈：%s", "The inquiry was declined: %s"},
	EventDealNDAAccepted:            {"买方已接受保密协议：%s", "The buyer accepted the NDA: %s"},
	EventDealMessagePosted:          {"新消息：%s", "New message: %s"},
	EventDealIntermediaryInvited:    {"居间方邀请：%s", "Intermediary invitation: %s"},
	EventDealIntermediaryRequested:  {"有居间方申请加入洽谈：%s", "A broker asks to join: %s"},
	EventDealIntermediaryAccepted:   {"居间方已接受邀请：%s", "The intermediary accepted: %s"},
	EventDealIntermediaryDeclined:   {"居间方谢绝了邀请：%s", "The intermediary declined: %s"},
	EventDealIntermediaryFeeAgreed:  {"居间费已同意：%s", "The intermediary fee was agreed: %s"},
	EventDealIntermediaryFeeRefused: {"居间费被拒绝：%s", "The intermediary fee was refused: %s"},
	EventDealOfferProposed:          {"新的报价：%s", "New offer: %s"},
	EventDealOfferRejected:          {"报价被拒绝：%s", "Offer rejected: %s"},
	EventDealOfferWithdrawn:         {"报价已撤回：%s", "Offer withdrawn: %s"},
	EventDealOfferAccepted:          {"报价已接受：%s", "Offer accepted: %s"},
	EventDealContractDrafted:        {"合同草案待签署：%s", "Contract drafted, ready to sign: %s"},
	EventDealContractVoided:         {"合同草案已作废：%s", "The contract draft was voided: %s"},
	EventDealContractSigned:         {"对方已签署合同：%s", "The other party signed: %s"},
	EventDealSigned:                 {"合同已生效：%s", "Contract signed by both parties: %s"},
	EventDealCancelled:              {"洽谈已取消：%s", "Deal cancelled: %s"},
	EventDealExpired:                {"洽谈因长期无进展已过期：%s", "Deal expired after inactivity: %s"},
}

// dealNoticeOther is the text of a deal event without its own.
var dealNoticeOther = [2]string{"洽谈有更新：%s", "Deal updated: %s"}

func init() {
	for _, t := range dealNoticeTexts {
		RegisterNoticeFormat(t[0], t[1])
	}
	RegisterNoticeFormat(dealNoticeOther[0], dealNoticeOther[1])
}

// DealNoticeText returns the bilingual notification text of a deal event.
func DealNoticeText(eventType, subject string) string {
	t, ok := dealNoticeTexts[eventType]
	if !ok {
		t = dealNoticeOther
	}
	return BilingualNotice(t[0], t[1], subject)
}

// notifyDeal tells every organisation taking part in the deal, before or
// after the step, except the one that acted, about the step's last event
// (the one that says where the deal now stands): in the app, and by mail
// to each member who has not switched deal mail off.
func (s *Service) notifyDeal(tx Tx, before, after Deal, by DealActor, evs []Event, subject string) error {
	if len(evs) == 0 {
		return nil
	}
	last := evs[len(evs)-1]
	seen := map[string]bool{by.OrgID: true}
	var orgs []string
	for _, d := range []Deal{after, before} {
		cand := []string{d.BuyerOrgID, d.SellerOrgID}
		if d.Intermediary != nil {
			cand = append(cand, d.Intermediary.OrgID)
		}
		for _, o := range cand {
			if o != "" && !seen[o] {
				seen[o] = true
				orgs = append(orgs, o)
			}
		}
	}
	for _, o := range orgs {
		if err := Notify(tx, ToOrg(o), last.Type, ObjectRef{Type: DealObjectType, ID: after.ID},
			DealNoticeText(last.Type, subject), last.At); err != nil {
			return err
		}
		if err := s.mailDealActivity(tx, o, after.ID, last, subject); err != nil {
			return err
		}
	}
	return nil
}

// mailDealActivity queues a deal-activity mail to each member of org; the
// outbox skips it for members who opted out (read when it is sent).
func (s *Service) mailDealActivity(tx Tx, org, dealID string, last Event, subject string) error {
	ms, err := tx.Members(org)
	if err != nil {
		return err
	}
	for _, m := range ms {
		acc, err := tx.AccountByID(m.AccountID)
		if err != nil {
			return err
		}
		step := fmt.Sprint(last.Seq)
		if last.Seq == 0 { // not appended: no sequence to key on
			step = NewID()
		}
		key := "deal:" + dealID + ":" + step + ":" + acc.ID
		if err := queueMail(tx, acc, acc.Email, MailDealActivity, MailCategoryDealActivity, key,
			map[string]string{"name": acc.DisplayName, "subject": subject, "link": s.link("/deals/" + dealID)}, last.At); err != nil {
			return err
		}
	}
	return nil
}
