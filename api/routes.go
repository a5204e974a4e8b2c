package api

// routes is the whole route table. Groups follow auth levels: public
// (anonymous allowed; a bearer token, when sent, must be valid), member
// (logged in), admin. Object-level rules (owner, member of which
// organisation) are checked by the market services.
func (s *Server) routes() {
	e := s.engine
	e.Use(withRequestID, s.recoverPanics, s.logRequests)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/api/openapi.json", s.openAPI)

	public := e.Group("/api/v1", s.rateLimit, s.limitBody, s.authenticate)
	public.POST("/auth/register", s.register)
	public.POST("/auth/login", s.login)
	public.POST("/auth/refresh", s.refresh)
	public.POST("/auth/logout", s.logout)
	public.GET("/organizations", s.listOrganizations)
	public.GET("/organizations/:id", s.getOrganization)
	public.GET("/search", s.search)
	public.GET("/search/suggest", s.suggest)

	member := public.Group("", s.requireLogin)
	member.GET("/me", s.me)
	member.POST("/organizations", s.createOrganization)
	member.GET("/organizations/:id/members", s.listMembers)
	member.POST("/organizations/:id/members", s.addMember)

	admin := public.Group("/admin", s.requireLogin, s.requireAdmin)
	admin.POST("/organizations/:id/verification", s.verifyOrganization)
}
