package web

// termMessages name the actions that refusals mention (msgs.Term with
// kind "deal.action" or "milestone.action"), as the domain words them.
var termMessages = map[string]msg{
	"deal.action.accept_inquiry":         {"接受洽谈", "accept_inquiry"},
	"deal.action.decline_inquiry":        {"拒绝洽谈", "decline_inquiry"},
	"deal.action.accept_nda":             {"接受保密协议", "accept_nda"},
	"deal.action.post_message":           {"发送留言", "post_message"},
	"deal.action.invite_intermediary":    {"邀请居间方", "invite_intermediary"},
	"deal.action.respond_intermediary":   {"答复居间邀请", "respond_intermediary"},
	"deal.action.agree_intermediary_fee": {"同意居间费用", "agree_intermediary_fee"},
	"deal.action.propose_offer":          {"报价", "propose_offer"},
	"deal.action.reject_offer":           {"拒绝报价", "reject_offer"},
	"deal.action.withdraw_offer":         {"撤回报价", "withdraw_offer"},
	"deal.action.accept_offer":           {"接受报价", "accept_offer"},
	"deal.action.sign_contract":          {"签署合同", "sign_contract"},
	"deal.action.cancel":                 {"取消交易", "cancel"},
	"deal.action.expire":                 {"使交易过期", "expire"},
	"milestone.action.fund":              {"付款", "fund"},
	"milestone.action.deliver":           {"交付", "deliver"},
	"milestone.action.request_changes":   {"要求修改", "request_changes"},
	"milestone.action.accept":            {"验收", "accept"},
	"milestone.action.release":           {"放款", "release"},
	"milestone.action.refund":            {"退款", "refund"},
	"milestone.action.dispute":           {"提出争议", "dispute"},
	"milestone.action.settle":            {"裁决", "settle"},
}
