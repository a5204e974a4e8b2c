// Package web serves TechBridge's server-rendered pages in Chinese and
// English on the same market.Service as the API: html/template pages, a
// small hand-written stylesheet, cookie sessions and CSRF-protected forms.
// Templates and assets are embedded, so the binary needs nothing beside it.
//
// Adding a page (say, the notification list):
//
//  1. a handler file, notification_pages.go: func (s *Server) notifications(w, r, v *visit) error
//     that decodes, calls the service, and ends with s.render(w, v, http.StatusOK, "notifications", data);
//  2. a template file, templates/notifications.html, defining "title" and "content"
//     (see home.html; text only through {{$.T "key"}});
//  3. catalogue keys in a messages_*.go file (both zh and en; TestCatalogue checks);
//  4. one line in routes below, in the block of its auth level (public or
//     loggedIn); for a top-level section, flip its navigation slot in nav to a link.
//
// Listing pages (outcomes, scenarios) are one generic set, listingPages in
// listing_kind_pages.go, over a small descriptor per kind.
//
// Forms post back to their own path; a handler that gets bad input
// re-renders the page with the values and the field errors in place.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"techbridge/market"
	"techbridge/search"
)

// Config is what the pages need from the binary.
type Config struct {
	Service *market.Service
	Log     *slog.Logger
	// SecureCookies marks cookies Secure; true when served over TLS.
	SecureCookies bool
	// Matcher serves the search and match pages (its Search runs the
	// search page); nil shows them as unavailable.
	Matcher *search.Matcher
	// Throttle limits failed logins per email and client, as the API's
	// login does (api/auth.Throttle); nil leaves the web login unlimited.
	Throttle LoginThrottle
	// ClientIP is the client address the login throttle counts, by the
	// same trusted-proxy rule as the API (api.Server.ClientIP); nil = the
	// peer's address.
	ClientIP func(*http.Request) string
}

// LoginThrottle counts failed logins by email and client address. Check
// refuses with a market ETOOMANY error while they are blocked.
type LoginThrottle interface {
	Check(ctx context.Context, email, client string) error
	Failed(ctx context.Context, email, client string) error
	Succeeded(ctx context.Context, email, client string) error
}

// Server serves the web pages; it is an http.Handler.
type Server struct {
	svc      *market.Service
	log      *slog.Logger
	secure   bool
	pages    pageTemplates
	handler  http.Handler
	matcher  *search.Matcher
	throttle LoginThrottle
	clientIP func(*http.Request) string
	mux      *http.ServeMux
}

// New parses the embedded templates and builds the route table.
func New(cfg Config) (*Server, error) {
	if cfg.Service == nil {
		return nil, errors.New("web: Config.Service is required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{svc: cfg.Service, log: cfg.Log, secure: cfg.SecureCookies, pages: pages, matcher: cfg.Matcher,
		throttle: cfg.Throttle, clientIP: cfg.ClientIP}
	if s.clientIP == nil {
		s.clientIP = clientAddress
	}
	// CrossOriginProtection refuses cross-site POSTs by Sec-Fetch-Site and
	// Origin; the token check in s.public/s.loggedIn covers browsers and
	// proxies that send neither (see csrf.go).
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	s.mux = s.routes()
	s.handler = s.recoverPanics(securityHeaders(cop.Handler(s.mux)))
	return s, nil
}

// ServeHTTP serves the pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Pattern is the route pattern that serves r, for metrics labels.
func (s *Server) Pattern(r *http.Request) string {
	_, p := s.mux.Handler(r)
	return p
}

// SessionCookie names the cookie of a signed-in visitor, by which the
// page rate limits tell visitor classes apart.
const SessionCookie = sessionCookie

// routes is the whole page route table, one block per auth level. Every
// POST is checked for its CSRF token by public and loggedIn.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", staticFiles())

	// Anyone.
	mux.Handle("GET /{$}", s.public(s.home))
	mux.Handle("GET /lang/{lang}", s.public(s.switchLanguage))
	mux.Handle("GET /verify-email", s.public(s.verifyEmailForm))
	mux.Handle("POST /verify-email", s.public(s.verifyEmail))
	mux.Handle("GET /forgot-password", s.public(s.forgotForm))
	mux.Handle("POST /forgot-password", s.public(s.forgot))
	mux.Handle("GET /reset-password", s.public(s.resetForm))
	mux.Handle("POST /reset-password", s.public(s.reset))
	mux.Handle("GET /invitations/accept", s.loggedIn(s.invitationPage))
	mux.Handle("POST /invitations/answer", s.loggedIn(s.answerInvitation))
	mux.Handle("GET /account", s.loggedIn(s.accountSettings))
	mux.Handle("POST /account", s.loggedIn(s.updateProfile))
	mux.Handle("POST /account/password", s.loggedIn(s.changePassword))
	mux.Handle("POST /account/email", s.loggedIn(s.changeEmail))
	mux.Handle("POST /account/verification", s.loggedIn(s.resendVerification))
	mux.Handle("POST /acting-org", s.loggedIn(s.switchOrg))
	mux.Handle("POST /notifications/read-all", s.loggedIn(s.readAllNotifications))
	mux.Handle("POST /my/organizations/{id}/members/{account}/role", s.loggedIn(s.setMemberRole))
	mux.Handle("POST /my/organizations/{id}/members/{account}/remove", s.loggedIn(s.confirmFirst(always("member.remove"), backToPage("/my/organizations"), s.removeMember)))
	mux.Handle("POST /my/organizations/{id}/invitations/{inv}/withdraw", s.loggedIn(s.confirmFirst(always("invitation.withdraw"), backToPage("/my/organizations"), s.withdrawInvitation)))
	mux.Handle("POST /my/organizations/{id}/verification", s.loggedIn(s.requestVerification))
	mux.Handle("GET /admin/organizations", s.loggedIn(s.orgReview))
	mux.Handle("POST /admin/organizations/{id}/verification", s.loggedIn(s.decideOrg))
	mux.Handle("GET /register", s.public(s.registerForm))
	mux.Handle("POST /register", s.public(s.register))
	mux.Handle("GET /login", s.public(s.loginForm))
	mux.Handle("POST /login", s.public(s.login))
	mux.Handle("GET /logout", s.public(s.logoutForm))
	mux.Handle("POST /logout", s.public(s.logout))
	mux.Handle("GET /search", s.public(s.searchPage))
	mux.Handle("GET /market", s.public(s.marketPage))
	mux.Handle("GET /statistics/{file}", s.public(s.statDownload)) // the service checks who sees which
	mux.Handle("GET /dashboard", s.loggedIn(s.dashboard))
	mux.Handle("GET /commission/statistics", s.loggedIn(s.commissionStats))
	mux.Handle("GET /match", s.public(s.needPage))
	mux.Handle("GET /scenarios/{id}/matches", s.public(s.scenarioMatchesPage))
	mux.Handle("GET /outcomes/{id}/matches", s.public(s.outcomeMatchesPage))
	mux.Handle("GET /outcomes", s.public(s.bind(outcomePages.browseHandler)))
	mux.Handle("GET /outcomes/{id}", s.public(s.bind(outcomePages.detailHandler)))
	mux.Handle("GET /scenarios", s.public(s.bind(scenarioPages.browseHandler)))
	mux.Handle("GET /scenarios/{id}", s.public(s.bind(scenarioPages.detailHandler)))
	mux.Handle("GET /brokers", s.public(s.brokers))
	mux.Handle("GET /orgs/{id}", s.public(s.orgProfile))

	// Logged in; anonymous visitors are sent to the login page.
	mux.Handle("GET /my/organizations", s.loggedIn(s.myOrganizations))
	mux.Handle("POST /my/organizations", s.loggedIn(s.createOrganization))
	mux.Handle("POST /my/organizations/{id}/members", s.loggedIn(s.addMember))
	mux.Handle("POST /my/organizations/{id}/nda", s.loggedIn(s.publishNDA))
	mux.Handle("POST /my/organizations/{id}/payout", s.loggedIn(s.setPayoutAccount))
	mux.Handle("GET /deals", s.loggedIn(s.myDeals))
	mux.Handle("GET /deals/new", s.loggedIn(s.newDealForm))
	mux.Handle("POST /deals", s.loggedIn(s.openDeal))
	mux.Handle("GET /deals/{id}", s.loggedIn(s.dealRoom))
	mux.Handle("POST /deals/{id}/act", s.loggedIn(s.confirmFirst(dealDestructive, backTo("/deals/"), s.dealAct)))
	mux.Handle("GET /deals/{id}/join", s.loggedIn(s.joinForm))
	mux.Handle("POST /deals/{id}/join", s.loggedIn(s.join))
	mux.Handle("GET /deals/{id}/contract", s.loggedIn(s.dealContract))
	mux.Handle("GET /deals/{id}/registration", s.loggedIn(s.dealRegistration))
	mux.Handle("POST /deals/{id}/registration", s.loggedIn(s.registrationAct))
	mux.Handle("GET /deals/{id}/registration/certificate", s.loggedIn(s.registrationCertificate))
	mux.Handle("GET /deals/{id}/registration.csv", s.loggedIn(s.dealRegistrationDownload("csv")))
	mux.Handle("GET /deals/{id}/registration.xlsx", s.loggedIn(s.dealRegistrationDownload("xlsx")))
	mux.Handle("GET /registry", s.loggedIn(s.registry)) // the registry and admins: the service refuses others
	mux.Handle("GET /registry/export.csv", s.loggedIn(s.registryExport("csv")))
	mux.Handle("GET /registry/export.xlsx", s.loggedIn(s.registryExport("xlsx")))
	mux.Handle("GET /registry/export.json", s.loggedIn(s.registryExport("json")))
	mux.Handle("POST /my/organizations/{id}/profile", s.loggedIn(s.updateOrgProfile))
	mux.Handle("GET /deals/{id}/payments", s.loggedIn(s.dealPayments))
	mux.Handle("POST /deals/{id}/payments", s.loggedIn(s.paymentAct))
	mux.Handle("GET /my/finance", s.loggedIn(s.myFinance))
	mux.Handle("GET /my/finance/statement.csv", s.loggedIn(s.statementDownload("csv")))
	mux.Handle("GET /my/finance/statement.xlsx", s.loggedIn(s.statementDownload("xlsx")))
	mux.Handle("GET /admin/payouts", s.loggedIn(s.payouts)) // finance and admins: the service refuses others
	mux.Handle("GET /admin/finance", s.loggedIn(s.financeDesk))
	mux.Handle("POST /admin/finance/confirm", s.loggedIn(s.financeConfirm))
	mux.Handle("POST /admin/finance/statements", s.loggedIn(s.financeImport))
	mux.Handle("POST /admin/payouts/{id}/paid", s.loggedIn(s.markPayoutPaid))
	mux.Handle("GET /notifications", s.loggedIn(s.notifications))
	mux.Handle("POST /notifications/{id}/read", s.loggedIn(s.readNotification))
	mux.Handle("GET /my/listings", s.loggedIn(s.myListings))
	mux.Handle("GET /outcomes/new", s.loggedIn(s.bind(outcomePages.newForm)))
	mux.Handle("POST /outcomes", s.loggedIn(s.bind(outcomePages.createHandler)))
	mux.Handle("GET /outcomes/{id}/edit", s.loggedIn(s.bind(outcomePages.editForm)))
	mux.Handle("POST /outcomes/{id}/edit", s.loggedIn(s.bind(outcomePages.updateHandler)))
	mux.Handle("POST /outcomes/{id}/act", s.loggedIn(s.confirmFirst(listingDestructive, backTo("/outcomes/"), s.bind(outcomePages.act))))
	mux.Handle("GET /scenarios/new", s.loggedIn(s.bind(scenarioPages.newForm)))
	mux.Handle("POST /scenarios", s.loggedIn(s.bind(scenarioPages.createHandler)))
	mux.Handle("GET /scenarios/{id}/edit", s.loggedIn(s.bind(scenarioPages.editForm)))
	mux.Handle("POST /scenarios/{id}/edit", s.loggedIn(s.bind(scenarioPages.updateHandler)))
	mux.Handle("POST /scenarios/{id}/act", s.loggedIn(s.confirmFirst(listingDestructive, backTo("/scenarios/"), s.bind(scenarioPages.act))))
	mux.Handle("GET /scenarios/{id}/propose", s.loggedIn(s.answerForm))
	mux.Handle("POST /scenarios/{id}/propose", s.loggedIn(s.submitAnswer))
	mux.Handle("GET /scenarios/{id}/proposals", s.loggedIn(s.scenarioProposals))
	mux.Handle("POST /proposals/{id}/act", s.loggedIn(s.confirmFirst(proposalDestructive, backToReferrer("/my/listings"), s.proposalAct)))
	mux.Handle("POST /proposals/{id}/deal", s.loggedIn(s.openProposalDeal))
	mux.Handle("GET /my/import", s.loggedIn(s.importForm))
	mux.Handle("POST /my/import", s.loggedIn(s.importUpload))
	mux.Handle("GET /review", s.loggedIn(s.reviewQueue))

	mux.Handle("/", s.public(s.notFound))
	return mux
}

// navItem is one entry of the header navigation. Areas not built yet keep
// their slot with Ready false, so the header does not move when they land.
type navItem struct {
	Path  string
	Key   string // catalogue key of the label
	Ready bool
}

// nav is the header navigation, in display order.
var nav = []navItem{
	{Path: "/outcomes", Key: "nav.outcomes", Ready: true},
	{Path: "/scenarios", Key: "nav.scenarios", Ready: true},
	{Path: "/search", Key: "nav.search", Ready: true},
	{Path: "/brokers", Key: "nav.brokers", Ready: true},
	{Path: "/market", Key: "nav.market", Ready: true},
}

// accountLink is one entry of the account menu, the visitor's own pages.
type accountLink struct {
	Path     string
	Key      string // catalogue key of the label
	Reviewer bool   // shown to reviewers and admins only
	Admin    bool   // shown to admins only
	Finance  bool   // shown to finance accounts and admins
	// Registrar is shown to the contract registry (registrars and admins).
	Registrar bool
	Unread    bool // carries the unread notification count
}

// accountLinks is the account menu, in display order. The header keeps
// browsing (nav) apart from these, so it stays one row on a laptop.
var accountLinks = []accountLink{
	{Path: "/dashboard", Key: "nav.dashboard"},
	{Path: "/deals", Key: "nav.my_deals"},
	{Path: "/notifications", Key: "nav.notifications", Unread: true},
	{Path: "/my/listings", Key: "nav.my_listings"},
	{Path: "/my/organizations", Key: "nav.my_org"},
	{Path: "/account", Key: "nav.account_settings"},
	{Path: "/my/finance", Key: "fin.link"},
	{Path: "/review", Key: "nav.review", Reviewer: true},
	{Path: "/admin/finance", Key: "desk.link", Finance: true},
	{Path: "/admin/payouts", Key: "payout.link", Finance: true},
	{Path: "/registry", Key: "nav.registry", Registrar: true},
	{Path: "/admin/organizations", Key: "nav.org_review", Admin: true},
	{Path: "/commission/statistics", Key: "nav.statistics", Registrar: true}, // the commission: registrars and admins
}
