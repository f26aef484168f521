package store

type Account struct {
	ID    int64  `gorm:"column:id"`
	Email string `gorm:"column:email"`
}

func (Account) TableName() string {
	return "users"
}
