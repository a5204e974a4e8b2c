package web

// pageMessages are the texts of the confirmation pages, the organisation
// and broker profiles, the broker directory and the join requests.
var pageMessages = map[string]msg{
	"confirm.back":   {"不，返回", "No, go back"},
	"confirm.reason": {"理由：", "Reason:"},

	"confirm.deal.cancel.title":               {"确定取消这项洽谈？", "Cancel this deal?"},
	"confirm.deal.cancel.body":                {"取消后洽谈即告结束，各方都不能再报价或签署。此操作无法撤销。", "The deal ends: nobody can make offers or sign any more. This cannot be undone."},
	"confirm.deal.cancel.yes":                 {"是，取消洽谈", "Yes, cancel the deal"},
	"confirm.deal.decline.title":              {"确定拒绝这项洽谈请求？", "Decline this inquiry?"},
	"confirm.deal.decline.body":               {"拒绝后洽谈即告结束，对方需要重新发起。此操作无法撤销。", "The deal ends; the other side would have to start a new inquiry. This cannot be undone."},
	"confirm.deal.decline.yes":                {"是，拒绝", "Yes, decline"},
	"confirm.deal.reject_offer.title":         {"确定拒绝这份报价？", "Reject this offer?"},
	"confirm.deal.reject_offer.body":          {"报价被拒绝后不能再接受，只能重新报价。", "A rejected offer cannot be accepted later; only a new offer can."},
	"confirm.deal.reject_offer.yes":           {"是，拒绝报价", "Yes, reject the offer"},
	"confirm.deal.withdraw_offer.title":       {"确定撤回这份报价？", "Withdraw this offer?"},
	"confirm.deal.withdraw_offer.body":        {"撤回后对方不能再接受这份报价。", "The other side can no longer accept it."},
	"confirm.deal.withdraw_offer.yes":         {"是，撤回报价", "Yes, withdraw the offer"},
	"confirm.deal.decline_intermediary.title": {"确定谢绝担任居间方？", "Decline to broker this deal?"},
	"confirm.deal.decline_intermediary.body":  {"谢绝后你的机构将从这项洽谈中移除。", "Your organisation is removed from the deal."},
	"confirm.deal.decline_intermediary.yes":   {"是，谢绝", "Yes, decline"},
	"confirm.deal.refuse_fee.title":           {"确定拒绝居间方及其居间费？", "Refuse the intermediary and its fee?"},
	"confirm.deal.refuse_fee.body":            {"拒绝后该居间方将从这项洽谈中移除。", "The intermediary is removed from the deal."},
	"confirm.deal.refuse_fee.yes":             {"是，拒绝", "Yes, refuse"},

	"confirm.listing.close.title":    {"确定关闭这条发布？", "Close this listing?"},
	"confirm.listing.close.body":     {"关闭后它将不再公开，也不能重新发布。此操作无法撤销。", "It is no longer public and cannot be published again. This cannot be undone."},
	"confirm.listing.close.yes":      {"是，关闭", "Yes, close it"},
	"confirm.listing.reject.title":   {"确定驳回这条发布？", "Reject this listing?"},
	"confirm.listing.reject.body":    {"发布方会看到你填写的理由，修改后可以重新提交。", "The owner sees your reason and may revise and submit it again."},
	"confirm.listing.reject.yes":     {"是，驳回", "Yes, reject"},
	"confirm.listing.transfer.title": {"确定标记为已转化？", "Mark this outcome as transferred?"},
	"confirm.listing.transfer.body":  {"标记后成果不再接受新的洽谈。此操作无法撤销。", "It takes no new inquiries. This cannot be undone."},
	"confirm.listing.transfer.yes":   {"是，标记为已转化", "Yes, mark as transferred"},

	"confirm.proposal.award.title":    {"确定选定这份方案？", "Award this proposal?"},
	"confirm.proposal.award.body":     {"选定后需求将不再接受其他方案的选定。此操作无法撤销。", "No other proposal can be awarded on this call afterwards. This cannot be undone."},
	"confirm.proposal.award.yes":      {"是，选定", "Yes, award it"},
	"confirm.proposal.reject.title":   {"确定不采纳这份方案？", "Reject this proposal?"},
	"confirm.proposal.reject.body":    {"提交方会看到你的说明。此操作无法撤销。", "The proposer sees your note. This cannot be undone."},
	"confirm.proposal.reject.yes":     {"是，不采纳", "Yes, reject it"},
	"confirm.proposal.withdraw.title": {"确定撤回这份方案？", "Withdraw this proposal?"},
	"confirm.proposal.withdraw.body":  {"撤回后需求方不再能看到或选定它。此操作无法撤销。", "The poster can no longer consider or award it. This cannot be undone."},
	"confirm.proposal.withdraw.yes":   {"是，撤回", "Yes, withdraw it"},

	"confirm.member.remove.title":       {"确定移出这位成员？", "Remove this member?"},
	"confirm.member.remove.body":        {"对方将失去代表本机构操作的权限；如果是你自己，你将退出该机构。", "They lose the right to act for the organisation; if it is you, you leave it."},
	"confirm.member.remove.yes":         {"是，移出", "Yes, remove"},
	"confirm.invitation.withdraw.title": {"确定撤回这份邀请？", "Withdraw this invitation?"},
	"confirm.invitation.withdraw.body":  {"邀请链接将失效。", "The invitation link stops working."},
	"confirm.invitation.withdraw.yes":   {"是，撤回邀请", "Yes, withdraw it"},
}
