package api

import "techbridge/market"

// routes is the whole route table. Groups follow auth levels: public
// (anonymous allowed; a bearer token, when sent, must be valid), member
// (logged in), admin. Object-level rules (owner, member of which
// organisation) are checked by the market services.
func (s *Server) routes() {
	e := s.engine
	e.Use(withRequestID, s.instrument, s.recoverPanics, s.logRequests, s.invalidateWrites)
	// Rate classes beside the general limit: each kind of costly request
	// has a budget of its own (RateLimits).
	login := s.limit(rateClass{"login", s.cfg.Rates.Login})
	match := s.limit(rateClass{"match", s.cfg.Rates.Match})

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.limit(rateClass{"readyz", s.cfg.Rates.Readyz}), s.authenticate, s.readyz)
	e.GET("/api/openapi.json", s.rateLimit, s.openAPI)                                                                                             // about 100 KB: a crawler pays the general limit
	e.POST("/webhooks/stripe", deadline(s.cfg.RequestTimeout), s.limit(rateClass{"webhook", s.cfg.Rates.Webhook}), s.requireJSON, s.stripeWebhook) // authenticated by its signature

	// Constant answers (encoded once, constant.go) are rate-limited like
	// every API route, but skip the per-request work that guards handlers
	// doing I/O or reading a body: the deadline applies only to a token
	// check (the rate limiter's Redis calls have their own timeouts), and
	// a GET without a body needs no body limit or media check.
	constants := e.Group("/api/v1", s.rateLimit, tokenDeadline(s.cfg.RequestTimeout), s.authenticate)
	constants.GET("/taxonomy/fields", s.listFields)

	public := e.Group("/api/v1", deadline(s.cfg.RequestTimeout), s.rateLimit, s.limitBody, s.authenticate, s.requireJSON)
	public.POST("/auth/register", login, s.register)
	public.POST("/auth/login", login, s.login)
	public.POST("/auth/refresh", login, s.refresh)
	public.POST("/auth/logout", s.logout)
	public.POST("/auth/email/verify", login, s.verifyEmail)
	public.POST("/auth/password/forgot", login, s.forgotPassword)
	public.POST("/auth/password/reset", login, s.resetPassword)
	public.GET("/organizations", s.listOrganizations)
	public.GET("/organizations/:id", s.getOrganization)
	public.GET("/organizations/:id/nda", s.getNDA)
	public.GET("/organizations/:id/track-record", s.getTrackRecord)
	public.GET("/brokers", s.listBrokers)
	public.GET("/search", match, s.search)
	public.GET("/search/suggest", match, s.suggest)
	public.GET("/scenarios/:id/matches", match, s.scenarioMatches)
	public.GET("/outcomes/:id/matches", match, s.outcomeMatches)
	public.POST("/match", match, s.matchNeed)
	// Anonymous listing reads may come from the response cache (up to
	// CacheTTL old; response_cache.go).
	public.GET("/outcomes", s.cached, s.serve(outcomeAPI.listPage))
	public.GET("/outcomes/:id", s.cached, s.serve(outcomeAPI.getOne))
	public.GET("/scenarios", s.cached, s.serve(scenarioAPI.listPage))
	public.GET("/scenarios/:id", s.cached, s.serve(scenarioAPI.getOne))
	public.GET("/stats/market", s.marketStats)
	public.GET("/stats/tables/:id", s.statTable) // the commission's tables: the service checks

	member := public.Group("", s.requireLogin)
	member.GET("/me", s.me)
	member.POST("/organizations", s.createOrganization)
	member.PUT("/organizations/:id/profile", s.updateOrgProfile)
	member.GET("/organizations/:id/members", s.listMembers)
	member.POST("/organizations/:id/members", s.inviteMember)
	member.PUT("/organizations/:id/members/:account", s.setMemberRole)
	member.DELETE("/organizations/:id/members/:account", s.removeMember)
	member.GET("/organizations/:id/invitations", s.listInvitations)
	member.DELETE("/organizations/:id/invitations/:invitation", s.withdrawInvitation)
	member.GET("/organizations/:id/verifications", s.verificationHistory)
	member.POST("/organizations/:id/verification-request", s.requestVerification)
	member.PATCH("/me", s.updateProfile)
	member.POST("/me/password", s.changePassword)
	member.POST("/me/email", s.changeEmail)
	member.POST("/me/email/verification", s.resendVerification)
	member.GET("/me/invitations", s.myInvitations)
	member.POST("/invitations/accept", s.answerInvitation(true))
	member.POST("/invitations/decline", s.answerInvitation(false))
	member.POST("/organizations/:id/outcomes", s.serve(outcomeAPI.createOne))
	member.PUT("/outcomes/:id", s.serve(outcomeAPI.updateOne))
	member.POST("/outcomes/:id/transitions", s.serve(outcomeAPI.transitionOne))
	member.GET("/outcomes/:id/history", s.serve(outcomeAPI.historyOf))
	member.POST("/organizations/:id/scenarios", s.serve(scenarioAPI.createOne))
	member.PUT("/scenarios/:id", s.serve(scenarioAPI.updateOne))
	member.POST("/scenarios/:id/transitions", s.serve(scenarioAPI.transitionOne))
	member.GET("/scenarios/:id/history", s.serve(scenarioAPI.historyOf))
	member.POST("/scenarios/:id/proposals", s.submitProposal)
	member.GET("/scenarios/:id/proposals", s.listScenarioProposals)
	member.GET("/proposals", s.listProposals)
	member.GET("/proposals/:id", s.getProposal)
	member.POST("/proposals/:id/transitions", s.transitionProposal)
	member.GET("/review/queue", s.reviewQueue)
	member.GET("/stats/funnel", s.funnel)

	// Bulk import takes bodies far above the general limit, so it has its
	// own group with its own limit.
	imports := e.Group("/api/v1", s.refuseWhileDraining, deadline(s.cfg.ImportTimeout), s.rateLimit, s.limitImportBody, s.authenticate, s.requireLogin, s.requireMedia(importMedia...))
	imports.POST("/outcomes/import", s.importOutcomes)

	// Deals: who may act is the deal's business (market.ApplyDeal); anyone
	// outside a deal gets 404 from every one of these.
	member.POST("/deals", s.openDeal)
	member.GET("/deals", s.listDeals)
	member.GET("/deals/:id", s.getDeal)
	member.GET("/deals/:id/listing", s.getDealListing)
	member.POST("/deals/:id/accept", s.dealAction(acceptInquiryAction))
	member.POST("/deals/:id/decline", s.dealAction(declineAction))
	member.POST("/deals/:id/nda", s.dealAction(acceptNDAAction))
	member.POST("/deals/:id/messages", s.dealAction(messageAction))
	member.POST("/deals/:id/intermediary", s.dealAction(inviteAction))
	member.POST("/deals/:id/intermediary/response", s.dealAction(respondAction))
	member.POST("/deals/:id/intermediary/fee", s.dealAction(agreeAction))
	member.POST("/deals/:id/intermediary/request", s.requestToBroker)
	member.POST("/deals/:id/offers", s.dealAction(proposeAction))
	member.POST("/deals/:id/offers/:n/accept", s.dealAction(acceptOfferAction))
	member.POST("/deals/:id/offers/:n/reject", s.dealAction(rejectOfferAction))
	member.POST("/deals/:id/offers/:n/withdraw", s.dealAction(withdrawOfferAction))
	member.GET("/deals/:id/contract", s.getContract)
	member.POST("/deals/:id/contract/signatures", s.dealAction(signAction))
	member.POST("/deals/:id/cancel", s.dealAction(cancelAction))
	member.GET("/deals/:id/registration", s.getRegistration)
	// Registration: the parties or their intermediary submit, the registry
	// (registrar, admins) registers or returns; the service checks who.
	member.POST("/deals/:id/registration/submission", s.submitRegistration)
	member.POST("/deals/:id/registration/return", s.returnRegistration)
	member.POST("/deals/:id/registration/record", s.recordRegistration)
	member.GET("/registrations", s.listRegistrations)
	member.GET("/deals/:id/milestones", s.listDealMilestones)
	member.GET("/organizations/:id/intermediary-deals", s.listIntermediaryDeals)
	member.PUT("/organizations/:id/nda", s.publishNDA)
	member.GET("/notifications", s.listNotifications)
	member.POST("/notifications/:id/read", s.readNotification)

	// Payments: who may act is the milestone's business (market.ApplyMilestone).
	member.POST("/milestones/:id/fund", s.fundMilestone)
	member.POST("/milestones/:id/fund/confirm", s.confirmFunding)
	member.POST("/milestones/:id/deliver", s.milestoneAction(market.MilestoneDeliver))
	member.POST("/milestones/:id/request-changes", s.milestoneAction(market.MilestoneRequestChanges))
	member.POST("/milestones/:id/accept", s.milestoneAction(market.MilestoneAccept))
	member.POST("/milestones/:id/release", s.milestoneAction(market.MilestoneRelease))
	member.POST("/milestones/:id/refund", s.milestoneAction(market.MilestoneRefund))
	member.POST("/milestones/:id/dispute", s.milestoneAction(market.MilestoneDispute))
	member.GET("/deals/:id/payments", s.dealPayments)
	member.GET("/organizations/:id/statement", s.orgStatement)
	member.GET("/organizations/:id/earnings", s.orgEarnings)
	member.POST("/organizations/:id/payment-account", s.onboardPayee)
	member.PUT("/organizations/:id/payout-account", s.setPayoutAccount)

	admin := public.Group("/admin", s.requireLogin, s.requireAdmin)
	admin.POST("/organizations/:id/verification", s.verifyOrganization)
	admin.POST("/milestones/:id/settle", s.milestoneAction(market.MilestoneSettle)) // an admin's ruling on a dispute: amount back to the buyer, the rest released

	// The money desk: finance accounts and admins.
	finance := public.Group("/admin", s.requireLogin, s.requireFinance)
	finance.GET("/payouts", s.listPayouts)
	finance.POST("/payouts/:id/paid", s.markPayoutPaid)
	finance.POST("/payouts/:id/retry", s.retryPayout)
	finance.GET("/bank-statement-lines", s.listBankLines)
	statements := e.Group("/api/v1/admin", s.refuseWhileDraining, deadline(s.cfg.ImportTimeout), s.rateLimit, s.limitImportBody,
		s.authenticate, s.requireLogin, s.requireFinance, s.requireMedia("text/csv"))
	statements.POST("/bank-statements", s.importBankStatement)
}
